package udp

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
	"github.com/usocket-go/usocket/waitlist"
)

// Conn is a datagram socket: usocket's DATAGRAM-USOCKET. It is a
// net.PacketConn, and a net.Conn whose Read and Write exchange whole
// datagrams with the peer when it was made by Dial. All methods are safe
// for concurrent use.
//
// An event loop reads datagrams as they arrive into a bounded queue, from
// which Receive, ReadFrom and Read take them; when the queue is full the
// socket stops reading until it drains (see [Config.ReadQueueLen]). Sends
// are made directly by the calling goroutine and wait for the socket to
// become writable when the kernel's send buffer is full.
type Conn struct {
	w         *reactor.Watcher
	local     netip.AddrPort
	remote    netip.AddrPort // the peer of a connected socket
	connected bool
	family    int // unix.AF_INET or unix.AF_INET6
	responder Responder

	// fdMu guards sfd, this socket's own duplicate of the watched
	// descriptor, used for sends and options from any goroutine: read-held
	// during each system call, write-held to close it.
	fdMu   sync.RWMutex
	sfd    int
	closed bool // under fdMu

	done     chan struct{} // closed once the socket is closed
	doneOnce sync.Once
	released chan struct{} // closed by the loop once its descriptor is closed

	mu          sync.Mutex    // guards the fields below
	q           queue         // received datagrams and errors, loop → readers
	limit       int           // ReadBufferLimit
	readOn      bool          // read interest requested
	writeOn     bool          // write interest requested
	writable    chan struct{} // closed and replaced when the loop sees writability
	readable    chan struct{} // cap 1: "the queue may be non-empty"
	readTimeout atomic.Int64  // time.Duration
	spaceWaits  atomic.Int64  // sends that waited for buffer space (for tests)

	sig waitlist.Signal

	rdl, wdl deadline.Deadline
}

var (
	_ net.PacketConn  = (*Conn)(nil)
	_ net.Conn        = (*Conn)(nil)
	_ waitlist.Source = (*Conn)(nil)
)

// adopt moves nc's socket onto the reactor: the descriptor is duplicated
// twice (one copy for the event loop, one for senders), nc is closed.
func (c *Config) adopt(op string, nc *net.UDPConn, connected bool) (*Conn, error) {
	r, err := c.reactor()
	if err != nil {
		_ = nc.Close()
		return nil, &net.OpError{Op: op, Net: network, Err: err}
	}
	s := &Conn{
		local:     nc.LocalAddr().(*net.UDPAddr).AddrPort(),
		connected: connected,
		done:      make(chan struct{}),
		released:  make(chan struct{}),
		readable:  make(chan struct{}, 1),
		limit:     c.bufferLimit(),
		readOn:    true,
		responder: c.Responder,
	}
	if connected {
		s.remote = unmap(nc.RemoteAddr().(*net.UDPAddr).AddrPort())
	}
	s.q.init(c.queueLen())
	s.readTimeout.Store(int64(c.ReadTimeout))
	wfd, sfd, err := dupTwice(nc)
	_ = nc.Close()
	if err != nil {
		return nil, usocket.NewOpError(op, network, s.LocalAddr(), nil, err)
	}
	s.sfd = sfd
	s.family = socketFamily(sfd)
	var wopts []reactor.WatchOption
	if c.Responder != nil {
		wopts = append(wopts, reactor.LoopOnly()) // answers on the loop, wakes nobody
	}
	w, err := r.Watch(wfd, (*loopSide)(s), wopts...)
	if err != nil {
		_ = unix.Close(wfd)
		_ = unix.Close(sfd)
		return nil, usocket.NewOpError(op, network, s.LocalAddr(), nil, err)
	}
	s.w = w
	return s, nil
}

// dupTwice returns two close-on-exec, non-blocking duplicates of nc's
// descriptor.
func dupTwice(nc *net.UDPConn) (a, b int, err error) {
	rc, err := nc.SyscallConn()
	if err != nil {
		return -1, -1, err
	}
	a, b = -1, -1
	var serr error
	cerr := rc.Control(func(fd uintptr) {
		if a, serr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0); serr != nil {
			return
		}
		if b, serr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0); serr != nil {
			_ = unix.Close(a)
			a = -1
			return
		}
		serr = unix.SetNonblock(a, true)
	})
	switch {
	case cerr != nil:
		return -1, -1, cerr
	case serr != nil:
		if a >= 0 {
			_ = unix.Close(a)
			_ = unix.Close(b)
		}
		return -1, -1, os.NewSyscallError("fcntl", serr)
	}
	return a, b, nil
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

// unmap turns an IPv4-mapped IPv6 address into the IPv4 address.
func unmap(ap netip.AddrPort) netip.AddrPort {
	if ap.Addr().Is4In6() {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}

// LocalAddr returns the local address, a *net.UDPAddr (usocket's
// GET-LOCAL-NAME).
func (c *Conn) LocalAddr() net.Addr { return net.UDPAddrFromAddrPort(c.local) }

// LocalAddrPort returns the local address and port.
func (c *Conn) LocalAddrPort() netip.AddrPort { return c.local }

// RemoteAddr returns the peer's address, a *net.UDPAddr, for a connected
// socket, and nil for an unconnected one (usocket's GET-PEER-NAME).
func (c *Conn) RemoteAddr() net.Addr {
	if !c.connected {
		return nil
	}
	return net.UDPAddrFromAddrPort(c.remote)
}

// RemoteAddrPort returns the peer of a connected socket, or the zero
// value.
func (c *Conn) RemoteAddrPort() netip.AddrPort { return c.remote }

// Connected reports whether the socket was made by Dial and so has a fixed
// peer (usocket's CONNECTED-P).
func (c *Conn) Connected() bool { return c.connected }

// Ready reports whether a receive would not block: a datagram or an error
// is queued, or the socket is closed. It implements waitlist.Source.
func (c *Conn) Ready() bool {
	select {
	case <-c.done:
		return true
	default:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.q.len() > 0
}

// WaitSignal returns the socket's readiness signal; it implements
// waitlist.Source.
func (c *Conn) WaitSignal() *waitlist.Signal { return &c.sig }

// Close closes the socket (usocket's SOCKET-CLOSE). Blocked and later calls
// fail with an error matching net.ErrClosed; datagrams still queued are
// dropped. A second Close returns such an error too. Close returns once the
// event loop has released the socket, so its port is free again; it must
// therefore not be called from a reactor callback running on that loop.
func (c *Conn) Close() error {
	c.fdMu.Lock()
	if c.closed {
		c.fdMu.Unlock()
		return c.closedError("close")
	}
	c.closed = true
	_ = unix.Close(c.sfd)
	c.fdMu.Unlock()
	c.markDone()
	// The watcher closes its descriptor on the loop (OnClose follows); if
	// the reactor is stopping it does so itself, and the error is of no
	// interest.
	_ = c.w.Close()
	<-c.released
	return nil
}

// markDone wakes every blocked call and every wait-list holding c.
func (c *Conn) markDone() {
	c.doneOnce.Do(func() {
		close(c.done)
		c.sig.Notify()
	})
}

// isDone reports whether the socket was closed.
func (c *Conn) isDone() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// SetDeadline sets the read and write deadlines; see SetReadDeadline and
// SetWriteDeadline.
func (c *Conn) SetDeadline(t time.Time) error {
	if c.isDone() {
		return c.closedError("set")
	}
	c.rdl.Set(t)
	c.wdl.Set(t)
	return nil
}

// SetReadDeadline sets the time after which Receive, ReadFrom and Read,
// including calls already blocked, fail with a timeout error: a
// *net.OpError that is a net.Error with Timeout() true and matches
// os.ErrDeadlineExceeded and usocket.ErrTimeout. The zero time means no
// deadline.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.isDone() {
		return c.closedError("set")
	}
	c.rdl.Set(t)
	return nil
}

// SetWriteDeadline sets the time after which Send, WriteTo and Write,
// including calls already waiting for buffer space, fail with a timeout
// error. The zero time means no deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c.isDone() {
		return c.closedError("set")
	}
	c.wdl.Set(t)
	return nil
}
