//go:build unix && !usocket_netstd

package usocket

import (
	"os"
	"syscall"

	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/internal/sock"
	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// watchFD registers f's descriptor with r for h in edge-triggered mode
// (reactor.WatchEdge); on failure the descriptor is closed. The lifetime
// of the descriptor is internal/fdlife's. h only wakes goroutines, so the
// watcher is lendable: a blocked call may run its loop (wake.Lender);
// lend tunes that (reactor.WaitersOnly for a connection).
func watchFD(f *fdlife.FD, r *reactor.Reactor, h reactor.FDHandler, lend ...reactor.LendOption) (*reactor.Watcher, error) {
	w, err := r.WatchEdge(f.Sysfd, h, reactor.Lendable(lend...))
	if err != nil {
		_ = unix.Close(f.Sysfd)
		return nil, err
	}
	f.SetWatcher(w)
	return w, nil
}

// detachFD takes the descriptor of a standard-library socket: it is
// duplicated (close-on-exec, and non-blocking as the original) and sc is
// closed, which also removes it from the Go runtime's poller.
func detachFD(sc interface {
	syscall.Conn
	Close() error
}) (int, error) {
	defer func() { _ = sc.Close() }()
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var derr error
	if err := raw.Control(func(s uintptr) { fd, derr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, os.NewSyscallError("fcntl", derr)
	}
	return fd, nil
}

// The descriptor's system calls, retried on EINTR. Errors are bare errnos
// (EAGAIN is compared by the callers); the callers wrap the others.

func readFD(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Read(fd, b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

func writeFD(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Write(fd, b)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// peekReady reports whether a read would not block: data, EOF or an error
// is waiting.
func peekReady(fd int) bool {
	var b [1]byte
	for {
		_, _, err := unix.Recvfrom(fd, b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		if err != unix.EINTR {
			return err != unix.EAGAIN
		}
	}
}

// pollReady reports whether fd is readable now (for a listening socket: a
// connection is waiting).
func pollReady(fd int) bool { return pollNow(fd, unix.POLLIN) }

// pollNow reports whether poll(2) finds fd ready for events (or in error)
// without waiting.
func pollNow(fd int, events int16) bool {
	p := []unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		n, err := unix.Poll(p, 0)
		if err != unix.EINTR {
			return n > 0
		}
	}
}

// closeFD closes fd.
func closeFD(fd int) { _ = unix.Close(fd) }

// resetFD makes closing fd send an RST (SO_LINGER 0).
func resetFD(fd int) {
	_ = unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
}

// listenBacklog sets a listening socket's backlog.
func listenBacklog(fd, n int) error {
	if err := unix.Listen(fd, n); err != nil {
		return os.NewSyscallError("listen", err)
	}
	return nil
}

// acceptFD accepts a connection (non-blocking, close-on-exec).
func acceptFD(fd int) (int, unix.Sockaddr, error) { return sock.Accept(fd) }

// localSockaddr is the socket's local address (getsockname).
func localSockaddr(fd int) (unix.Sockaddr, error) { return unix.Getsockname(fd) }

// rawControl runs f with the descriptor itself.
func rawControl(fd int, f func(fd uintptr)) error {
	f(uintptr(fd))
	return nil
}
