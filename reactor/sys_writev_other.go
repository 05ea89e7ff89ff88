//go:build (dragonfly || freebsd || netbsd) && !usocket_netstd

package reactor

import "golang.org/x/sys/unix"

// writev writes what the first buffer holds: x/sys has no writev on these
// systems. The output queue sends the rest on the next writable event.
func writev(fd int, iov [][]byte) (int, error) { return unix.Write(fd, iov[0]) }
