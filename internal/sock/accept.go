//go:build darwin || netbsd || openbsd

package sock

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Accept takes a connection off a listening socket and makes it
// non-blocking and close-on-exec. x/sys has no accept4 on these systems,
// so it accepts under ForkLock, as the standard library does.
func Accept(fd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		_ = unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}
