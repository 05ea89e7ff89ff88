//go:build unix

package testkit

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Inode is the inode of the file open as fd: with StillOpen, it tells
// whether a descriptor number still names the same socket after a close
// (a reused number names another file).
func Inode(t testing.TB, fd int) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatalf("fstat %d: %v", fd, err)
	}
	return st.Ino
}

// StillOpen reports whether fd still names the file whose inode was ino.
func StillOpen(fd int, ino uint64) bool {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return false // EBADF: closed
	}
	return st.Ino == ino
}
