package reactor

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/internal/fdref"
)

// Conn is a stream connection driven by a reactor loop. Its methods are safe
// from any goroutine, including from the Handler's callbacks; see each
// method for what is asynchronous.
type Conn struct {
	fd     int    // the descriptor, or the net backend's handle (sock_net.go)
	io     connIO // the backend's per-connection state (sock_fd.go, sock_net.go)
	loop   *loop
	h      Handler
	wn     WriteNotifier   // h as WriteNotifier, or nil
	layer  connlayer.Layer // transforms writes and closes (TLS), or nil
	remote netip.AddrPort
	unix   *unixAddrs // the ends of a unix domain connection; nil for TCP

	// Owned by the loop goroutine.
	events     uint32   // interest registered with the poller
	wq         outQueue // bytes taken from out, being flushed
	state      connState
	lastActive int64
	lingerT    *Timer
	idleT      *Timer
	timers     []*Timer // armed by AfterFunc, stopped when the connection ends
	budgetIdx  int      // position in loop.budget.paused while stBudget is set
	// sendErr is the error of a WriteDirect's system call. The kernel
	// reports a connection's error (a reset, say) once: the write took it,
	// so later writes fail with EPIPE and reads find a plain EOF. The
	// connection closes with it at its next flush, or in place of EOF.
	sendErr error

	sched  atomic.Bool  // a service pass is pending: Write need not wake the loop
	ref    fdref.Ref    // keeps fd open for Control and LocalAddrPort
	queued atomic.Int64 // outbound bytes not yet written to the socket

	mu        sync.Mutex   // guards the fields below; never held across a callback
	out       *[]byte      // bytes written by the application, not yet taken by the loop
	pend      []pendingOut // output queued before out, with file regions (SendFile)
	req       request
	wantPause bool
	wclosed   bool // no more writes accepted
	closed    bool // Close or Abort called, or the fd is gone
	final     bool // Abort called, or the fd is gone: nothing left to cut short
	local     netip.AddrPort
	value     any
}

type connState uint16

const (
	stPaused     connState = 1 << iota // read interest off by request
	stPeerEOF                          // the peer sent FIN
	stWantShutWr                       // shut down the write side once drained
	stWrShut                           // write side shut down
	stClosing                          // graceful close in progress
	stClosed                           // fd closed, OnClose called
	stBlocked                          // outbound queue above the high-water mark
	stBudget                           // read interest off by the reactor's memory limit
	stAborted                          // Abort was asked (for Stats)
	stLocalFirst                       // we began closing before the peer did (for Stats)
)

type request uint8

const (
	reqClose request = 1 << iota
	reqAbort
	reqCloseWrite
)

// newConn makes the connection for fd, to be registered on l. It counts as
// open from now on (NumConns, and so Shutdown, wait for it); if it cannot
// be handed to its loop, discard undoes that.
func newConn(l *loop, fd int, h Handler, remote netip.AddrPort) *Conn {
	c := &Conn{fd: fd, loop: l, h: h, remote: remote}
	c.wn, _ = h.(WriteNotifier)
	if f, ok := h.(connlayer.Factory); ok {
		c.layer = f.NewLayer(c)
	}
	l.conns.Add(1)
	return c
}

// discard closes the descriptor of a connection that never reached its
// loop (so no callback ran) and stops counting it.
func (c *Conn) discard() {
	c.sysClose()
	c.loop.conns.Add(-1)
	c.loop.r.connClosed()
}

// Write queues b for sending and returns len(b). It copies b, so the caller
// may reuse it at once. Writes are sent in the order they were made and each
// is atomic with respect to other Writes. Safe from any goroutine; from a
// callback the bytes go out when the callback returns, without waking the
// loop. Use Buffered, or a WriteNotifier, to bound what is queued.
//
// On a connection served through a layer (reactortls), b is the plaintext:
// the layer encrypts it, and Buffered counts the ciphertext.
func (c *Conn) Write(b []byte) (int, error) {
	if c.layer != nil {
		return c.layer.Write(b)
	}
	return c.write(b)
}

// write queues b on the socket.
func (c *Conn) write(b []byte) (int, error) {
	c.mu.Lock()
	if c.wclosed {
		err := c.writeClosedErr()
		c.mu.Unlock()
		return 0, err
	}
	if len(b) == 0 {
		c.mu.Unlock()
		return 0, nil
	}
	if c.out == nil {
		c.out = bufpool.Get(len(b))
	}
	*c.out = append(*c.out, b...)
	c.queued.Add(int64(len(b)))
	c.mu.Unlock()
	if err := c.schedule(); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c *Conn) writeClosedErr() error {
	if c.closed {
		return ErrClosed
	}
	return ErrWriteClosed
}

// schedule makes sure the loop will service c soon.
func (c *Conn) schedule() error {
	if c.sched.Load() || !c.sched.CompareAndSwap(false, true) {
		return nil
	}
	if err := c.loop.run(connServiceTask, c); err != nil {
		c.sched.Store(false)
		return err
	}
	return nil
}

func connServiceTask(p any) error {
	p.(*Conn).service()
	return nil
}

// Buffered reports the outbound bytes queued and not yet handed to the
// kernel. Safe from any goroutine.
func (c *Conn) Buffered() int { return int(c.queued.Load()) }

// Close closes the connection gracefully: writes are refused from now on,
// queued output is flushed (bounded by the linger time), the write side is
// shut down and the connection closed once the peer has shut down its side
// too (or the linger time ends). It returns at once; OnClose reports the end.
// A second Close returns ErrClosed; Abort may still cut the close short.
func (c *Conn) Close() error { return c.request(reqClose) }

// Abort closes the connection at once, dropping queued output and sending
// an RST to the peer. After Close it ends the graceful close at once. It
// returns ErrClosed once the connection has ended or after another Abort.
func (c *Conn) Abort() error { return c.request(reqAbort) }

// CloseWrite shuts down the write side once queued output is flushed; the
// peer reads EOF. Reading goes on.
func (c *Conn) CloseWrite() error { return c.request(reqCloseWrite) }

func (c *Conn) request(r request) error {
	if c.layer != nil && r != reqAbort {
		if r == reqClose {
			return c.layer.Close()
		}
		return c.layer.CloseWrite()
	}
	return c.rawRequest(r)
}

// rawRequest records r for the loop, bypassing any layer.
func (c *Conn) rawRequest(r request) error {
	c.mu.Lock()
	if c.closed && (r != reqAbort || c.final) {
		c.mu.Unlock()
		return ErrClosed
	}
	c.wclosed = true
	if r != reqCloseWrite {
		c.closed = true
	}
	if r == reqAbort {
		c.final = true
	}
	c.req |= r
	c.mu.Unlock()
	return c.schedule()
}

// PauseRead stops reading from the socket: the kernel buffers fill and TCP
// flow control holds the peer back. Safe from any goroutine; takes effect
// when the loop next services the connection (at the latest right after the
// current callback).
//
// While a connection is paused and has nothing queued to send, the loop
// does not watch its socket at all, so a reset by the peer is seen only
// once reading resumes (the data received before the reset is delivered
// first) or the next Write fails — as with a blocking net.Conn nobody reads.
// While it is watched (output is queued), an error pending on the socket
// closes it with that errno; a hang-up with no error is left for reading to
// report, once it resumes, as the data still unread and then EOF.
// Use an idle timeout (WithIdleTimeout) to bound connections that may stay
// paused for good.
//
// This pause is the handler's own: the reactor's memory limit
// (WithMemoryLimit) pauses reading separately, and neither lifts the other.
func (c *Conn) PauseRead() error { return c.setPause(true) }

// ResumeRead undoes PauseRead.
func (c *Conn) ResumeRead() error { return c.setPause(false) }

func (c *Conn) setPause(p bool) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.wantPause = p
	c.mu.Unlock()
	err := c.schedule()
	if !p && c.layer != nil {
		c.layer.Resumed()
	}
	return err
}

// RemoteAddrPort returns the peer's address; the zero AddrPort for a unix
// domain connection.
func (c *Conn) RemoteAddrPort() netip.AddrPort { return c.remote }

// RemoteAddr returns the peer's address as a *net.TCPAddr, or a
// *net.UnixAddr for a unix domain connection.
func (c *Conn) RemoteAddr() net.Addr {
	if c.unix != nil {
		return c.unix.remote
	}
	return net.TCPAddrFromAddrPort(c.remote)
}

// LocalAddrPort returns the local address (getsockname, cached); the zero
// AddrPort for a unix domain connection.
func (c *Conn) LocalAddrPort() netip.AddrPort {
	if c.unix != nil {
		return netip.AddrPort{}
	}
	c.mu.Lock()
	local := c.local
	c.mu.Unlock()
	if local.IsValid() {
		return local
	}
	_ = c.withFD(func(int) { local = c.sysLocal() })
	if local.IsValid() {
		c.mu.Lock()
		c.local = local
		c.mu.Unlock()
	}
	return local
}

// LocalAddr returns the local address as a *net.TCPAddr, or a
// *net.UnixAddr for a unix domain connection.
func (c *Conn) LocalAddr() net.Addr {
	if c.unix != nil {
		return c.unix.local
	}
	return net.TCPAddrFromAddrPort(c.LocalAddrPort())
}

// Context returns the value stored with SetContext.
func (c *Conn) Context() any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value
}

// SetContext stores a value with the connection, for the handler's use.
func (c *Conn) SetContext(v any) {
	c.mu.Lock()
	c.value = v
	c.mu.Unlock()
}

// Control calls f with the connection's file descriptor, for socket
// options or a direct non-blocking syscall. The descriptor stays open while
// f runs, even if the connection closes meanwhile; Control returns ErrClosed
// once Close or Abort was called or the connection ended. f must not block
// or keep fd. Several Controls may run at once.
func (c *Conn) Control(f func(fd uintptr)) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return c.sysControl(f)
}

// withFD runs f with the descriptor held open. The reference is dropped
// even if f panics, so that closing can still complete.
func (c *Conn) withFD(f func(fd int)) error {
	if !c.ref.Acquire() {
		return ErrClosed
	}
	defer c.releaseFD()
	f(c.fd)
	return nil
}

// releaseFD drops a reference taken by withFD; the last one out after the
// connection closed closes the descriptor.
func (c *Conn) releaseFD() {
	if c.ref.Release() {
		c.sysClose()
	}
}

// Execute runs f on the connection's loop, serialised with its callbacks.
// A panic in f is handled as one in a callback: it is reported and the
// connection is closed. A nil f gives ErrNilHandler. Once Close or Abort
// was called or the connection ended, Execute returns ErrClosed; and f does
// not run if the connection has ended (OnClose, always the last call, came)
// by the time its turn comes.
func (c *Conn) Execute(f func()) error {
	if f == nil {
		return ErrNilHandler
	}
	if c.isClosed() {
		return ErrClosed
	}
	return c.loop.run(connExecTask, &connFunc{c: c, f: f})
}

// isClosed reports whether Close or Abort was called or the connection ended.
func (c *Conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

type connFunc struct {
	c *Conn
	f func()
}

func connExecTask(p any) error {
	x := p.(*connFunc)
	if x.c.state&stClosed == 0 {
		x.c.callFunc(x.f)
	}
	return nil
}

// AfterFunc runs f on the connection's loop after d. Safe from any
// goroutine. A panic in f is reported to the error hook. A nil f gives
// ErrNilHandler. The timer belongs to the connection: it is stopped when
// the connection ends, and once Close or Abort was called or the
// connection ended, AfterFunc returns ErrClosed.
func (c *Conn) AfterFunc(d time.Duration, f func()) (*Timer, error) {
	if f == nil {
		return nil, ErrNilHandler
	}
	if c.isClosed() {
		return nil, ErrClosed
	}
	return c.loop.afterFunc(int64(d), f, c)
}

// Reactor returns the reactor the connection runs on.
func (c *Conn) Reactor() *Reactor { return c.loop.r }
