//go:build unix && !usocket_netstd

package fdlife

import (
	"testing"

	"golang.org/x/sys/unix"
)

// pipeFD is an FD for the read end of a pipe, with a fake watcher.
func pipeFD(t *testing.T) (*FD, *fakeWatcher, int) {
	t.Helper()
	p := make([]int, 2)
	if err := unix.Pipe(p); err != nil { // no pipe2 on macOS
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Close(p[1]) })
	var f FD
	f.Init(p[0])
	w := &fakeWatcher{}
	f.SetWatcher(w)
	return &f, w, p[0]
}

func isOpen(fd int) bool {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil
}
