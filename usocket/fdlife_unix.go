//go:build unix

package usocket

import (
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/usocket-go/usocket/internal/fdref"
	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// fdLife guards a non-blocking descriptor that user goroutines read,
// write and accept on directly while an edge watcher (reactor.WatchEdge)
// tells them when to retry. It follows Go's internal/poll without a lock
// across any system call: each use takes a reference (acquire) and drops
// it after the call (release); closing refuses new references
// (fdref.Ref). Whoever ends the last use once closing has begun (Close
// itself when no call is in flight, else the last call out) unregisters
// the watcher synchronously (reactor.Watcher.Release) and closes the
// descriptor, from its own goroutine: no event loop round trip, so Close
// with no call in flight has closed the socket when it returns, and the
// number cannot be reused while anyone might still use it.
type fdLife struct {
	fd   int
	w    atomic.Pointer[reactor.Watcher] // set once registered
	ref  fdref.Ref                       // the goroutines using fd
	gone chan struct{}                   // closed once the descriptor is closed
}

func (f *fdLife) init(fd int) {
	f.fd = fd
	f.gone = make(chan struct{})
}

// watch registers the descriptor with r; on failure it is closed.
func (f *fdLife) watch(r *reactor.Reactor, h reactor.FDHandler) error {
	w, err := r.WatchEdge(f.fd, h)
	if err != nil {
		_ = unix.Close(f.fd)
		return err
	}
	f.w.Store(w)
	return nil
}

// acquire takes a reference; false once closing has begun.
func (f *fdLife) acquire() bool { return f.ref.Acquire() }

// release drops a reference taken by acquire; the last one after closing
// began closes the descriptor.
func (f *fdLife) release() {
	if f.ref.Release() {
		f.destroy()
	}
}

// startClose refuses new references and closes the descriptor now if
// nobody uses it; it does nothing if closing had begun already.
func (f *fdLife) startClose() {
	if f.ref.MarkClosing() {
		f.destroy()
	}
}

// destroy runs once, when closing and unused: the watcher is unregistered
// (OnClose follows on the loop), then the descriptor closed.
func (f *fdLife) destroy() {
	if w := f.w.Load(); w != nil {
		_ = w.Release() // ErrClosed: the loop unregistered it already
	}
	_ = unix.Close(f.fd)
	close(f.gone)
}

// closed reports whether the descriptor has been closed.
func (f *fdLife) closed() bool {
	select {
	case <-f.gone:
		return true
	default:
		return false
	}
}

// detachFD takes the descriptor of a standard-library socket: it is
// duplicated (close-on-exec, and non-blocking as the original) and sc is
// closed, which also removes it from the Go runtime's poller.
func detachFD(sc interface {
	syscall.Conn
	Close() error
}) (int, error) {
	defer sc.Close()
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

// sockAddrPort is the address of an inet sockaddr, IPv4-mapped addresses
// as plain IPv4, or the zero AddrPort.
func sockAddrPort(sa unix.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *unix.SockaddrInet6:
		return unmapAddrPort(netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port)))
	}
	return netip.AddrPort{}
}
