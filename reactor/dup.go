package reactor

import "github.com/usocket-go/usocket/internal/unix"

// dupFD duplicates fd with close-on-exec set.
func dupFD(fd int) (int, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, wrapSyscall("fcntl", err)
	}
	return nfd, nil
}
