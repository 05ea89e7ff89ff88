//go:build unix

package testkit

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// BlockingClient makes a blocking IPv4 TCP socket whose every call is
// bounded by timeout (SO_RCVTIMEO, SO_SNDTIMEO). Tests that exhaust
// descriptors make it first, so that connecting needs no new one.
func BlockingClient(timeout time.Duration) (int, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0) // no SOCK_CLOEXEC on macOS
	if err != nil {
		return -1, fmt.Errorf("testkit: socket: %w", err)
	}
	unix.CloseOnExec(fd)
	tv := unix.NsecToTimeval(int64(timeout))
	for _, opt := range []int{unix.SO_RCVTIMEO, unix.SO_SNDTIMEO} {
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, opt, &tv); err != nil {
			_ = unix.Close(fd)
			return -1, fmt.Errorf("testkit: setsockopt: %w", err)
		}
	}
	return fd, nil
}

// Connect connects a BlockingClient socket to sa. The Go runtime's
// preemption signal can interrupt a connect on a socket with a timeout
// (EINTR) while the handshake goes on; Connect then waits for it with
// poll, for at most timeout.
func Connect(fd int, sa unix.Sockaddr, timeout time.Duration) error {
	err := unix.Connect(fd, sa)
	if err != unix.EINTR {
		if err != nil {
			return fmt.Errorf("testkit: connect: %w", err)
		}
		return nil
	}
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
	if _, err := RetryEINTR(func() (int, error) { return unix.Poll(fds, int(timeout/time.Millisecond)) }); err != nil {
		return fmt.Errorf("testkit: poll: %w", err)
	}
	if soErr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || soErr != 0 {
		return fmt.Errorf("testkit: connect: %v, SO_ERROR %d", err, soErr)
	}
	return nil
}

// RetryEINTR repeats a system call that a signal interrupted (calls on a
// socket with SO_RCVTIMEO or SO_SNDTIMEO are not restarted).
func RetryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}

// Loopback4 is 127.0.0.1:port as a sockaddr.
func Loopback4(port int) *unix.SockaddrInet4 {
	return &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}
}
