package udp

import (
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/wake"
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
// become writable when the kernel's send buffer is full. A Conn that
// becomes unreachable without Close is closed by a cleanup.
type Conn struct {
	*conn // the state the event loop sees; it never points back here
}

// conn is a Conn's state. The watcher's handler (loopSide) points here,
// never at the Conn, so that the event loop does not keep a dropped Conn
// alive.
type conn struct {
	fd        fdlife.FD // the socket: the loop receives, callers send
	w         loopWatcher
	local     netip.AddrPort
	remote    netip.AddrPort // the peer of a connected socket
	connected bool
	family    int // unix.AF_INET or unix.AF_INET6
	responder Responder

	closed   atomic.Bool   // Close was called
	done     chan struct{} // closed once the socket is closing
	doneOnce sync.Once

	mu     sync.Mutex // guards the fields below
	q      queue      // received datagrams and errors, loop → readers
	limit  int        // ReadBufferLimit
	paused bool       // the loop stopped reading: the queue was full

	rd          wake.Edge // the queue may have grown
	wr          wake.Edge // the socket became writable
	readTimeout atomic.Int64
	rclk        deadline.Clock // times readTimeout for every Receive
	spaceWaits  atomic.Int64   // sends that waited for buffer space (for tests)

	sig waitlist.Signal

	rdl, wdl deadline.Deadline
}

var (
	_ net.PacketConn  = (*Conn)(nil)
	_ net.Conn        = (*Conn)(nil)
	_ waitlist.Source = (*Conn)(nil)
)

// testHookAfterEAGAIN, set only by tests, runs when a Receive found the
// queue empty or a Send got EAGAIN, before it parks.
var testHookAfterEAGAIN atomic.Pointer[func(op string)]

func afterEAGAIN(op string) {
	if h := testHookAfterEAGAIN.Load(); h != nil {
		(*h)(op)
	}
}

// adopt moves nc's socket onto the reactor: the descriptor is duplicated
// and nc closed; the event loop watches the duplicate in edge-triggered
// mode and reads it, callers send on it.
func (c *Config) adopt(op string, nc *net.UDPConn, connected bool) (*Conn, error) {
	r, err := c.reactor()
	if err != nil {
		_ = nc.Close()
		return nil, &net.OpError{Op: op, Net: network, Err: err}
	}
	s := &conn{
		local:     nc.LocalAddr().(*net.UDPAddr).AddrPort(),
		connected: connected,
		done:      make(chan struct{}),
		limit:     c.bufferLimit(),
		responder: c.Responder,
	}
	if connected {
		s.remote = sockaddr.Unmap(nc.RemoteAddr().(*net.UDPAddr).AddrPort())
	}
	s.q.init(c.queueLen())
	s.readTimeout.Store(int64(c.ReadTimeout))
	fd, err := openFD(nc)
	if err != nil {
		return nil, usocket.NewOpError(op, network, net.UDPAddrFromAddrPort(s.local), nil, err)
	}
	s.family = socketFamily(fd)
	s.fd.Init(fd)
	wopts := lendOptions()
	if c.Responder != nil {
		wopts = []reactor.WatchOption{reactor.LoopOnly()} // answers on the loop, wakes nobody
	}
	w, err := watchSocket(r, fd, (*loopSide)(s), wopts)
	if err != nil {
		closeFD(fd)
		return nil, usocket.NewOpError(op, network, net.UDPAddrFromAddrPort(s.local), nil, err)
	}
	s.w = w
	s.lend()
	s.fd.SetWatcher(w)
	pub := &Conn{s}
	runtime.AddCleanup(pub, (*conn).dropped, s)
	return pub, nil
}

// dropped closes a Conn that became unreachable without Close.
func (c *conn) dropped() { _ = c.close() }

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
// dropped. A second Close returns such an error too. Close closes the
// descriptor before it returns, so its port is free again: at once when no
// call is in flight, else once the woken calls have left. It never waits
// for an event loop, so it may be called from a reactor callback; called
// while the socket's Responder or a Control function runs, it leaves the
// closing to the end of that call.
func (c *Conn) Close() error { return c.close() }

func (c *conn) close() error {
	if c.closed.Swap(true) {
		return c.closedError("close")
	}
	stopped := c.isDone() // the reactor stopping closed it already
	c.markDone()
	c.rdl.Stop()
	c.wdl.Stop()
	c.rclk.Stop()
	c.fd.Close()
	c.mu.Lock()
	c.q.clear()
	c.mu.Unlock()
	if stopped {
		return c.closedError("close")
	}
	return nil
}

// markDone wakes every blocked call and every wait-list holding c.
func (c *conn) markDone() {
	c.doneOnce.Do(func() {
		close(c.done)
		c.sig.Notify()
		if l := c.lender(); l != nil {
			l.Kick() // a call running the loop itself waits on no channel
		}
	})
}

// stops adds the loop to lend to s, if any (see lend).
func (c *conn) stops(s wake.Stops) wake.Stops {
	if l := c.lender(); l != nil {
		s.Lender = l
	}
	return s
}

// isDone reports whether the socket was closed.
func (c *conn) isDone() bool {
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
