//go:build !windows && !usocket_netstd

package udp

import (
	"net"
	"os"

	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/reactor"
)

// The descriptor side of a Conn on the fd backends: its own non-blocking
// descriptor, an edge watcher on a reactor loop, and system calls on it.
// sys_net.go is the same over the net package.

// loopWatcher is the socket's registration: a reactor edge watcher, whose
// Execute runs on the socket's loop.
type loopWatcher = *reactor.Watcher

// openFD takes nc's socket: a non-blocking duplicate, and nc closed.
func openFD(nc *net.UDPConn) (int, error) {
	fd, err := dupNonblock(nc)
	_ = nc.Close()
	return fd, err
}

// watchSocket registers fd with a loop of r for h.
func watchSocket(r *reactor.Reactor, fd int, h *loopSide, opts []reactor.WatchOption) (loopWatcher, error) {
	return r.WatchEdge(fd, h, opts...)
}

// lendOptions make the registration of a socket without a Responder
// lendable: a Receive or Send that must wait may run the loop itself
// (wake.Lender), whose round reads the datagram that ends its wait. Its
// edges matter only to calls that wait for them: a Receive takes what the
// loop queued and otherwise waits, and a datagram that came while nobody
// waited is read by the round of the next call that does.
func lendOptions() []reactor.WatchOption {
	return []reactor.WatchOption{reactor.Lendable(reactor.WaitersOnly())}
}

// lender is the registration whose loop c's waits may run
// (wake.Stops.Lender): c.w, unless a Responder answers on the loop.
func (c *conn) lender() *reactor.Watcher {
	if c.responder != nil {
		return nil
	}
	return c.w
}

// lend sets c up for waits that run the loop (lender): what ends such a
// wait from outside the loop kicks it, and a wait list holding c keeps the
// loop from being lent. Called once c.w is set.
func (c *conn) lend() {
	w := c.lender()
	if w == nil {
		return
	}
	c.sig.SetObserver(w.SetObserved)
	c.rdl.OnExpire(w.Kick)
	c.wdl.OnExpire(w.Kick)
	c.rclk.OnExpire(w.Kick)
}

func closeFD(fd int) { _ = unix.Close(fd) }

// rawControl runs f with the descriptor itself.
func rawControl(fd int, f func(fd uintptr)) error {
	f(uintptr(fd))
	return nil
}

// dupNonblock returns a close-on-exec, non-blocking duplicate of nc's
// descriptor.
func dupNonblock(nc *net.UDPConn) (int, error) {
	rc, err := nc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var serr error
	cerr := rc.Control(func(s uintptr) {
		if fd, serr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0); serr != nil {
			return
		}
		if serr = unix.SetNonblock(fd, true); serr != nil {
			_ = unix.Close(fd)
		}
	})
	switch {
	case cerr != nil:
		return -1, cerr
	case serr != nil:
		return -1, os.NewSyscallError("fcntl", serr)
	}
	return fd, nil
}

// socketFamily reports the address family of the socket fd (from its
// bound address: SO_DOMAIN is not on every system).
func socketFamily(fd int) int {
	if sa, err := unix.Getsockname(fd); err == nil {
		if _, ok := sa.(*unix.SockaddrInet4); ok {
			return unix.AF_INET
		}
	}
	return unix.AF_INET6
}
