package usocket

import (
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/internal/wake"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// DefaultReadBufferLimit was the SO_RCVBUF that every Conn used to get.
//
// Deprecated: a Conn no longer sets SO_RCVBUF unless ReadBufferLimit asks
// for it, because a fixed receive buffer turns off the kernel's receive
// autotuning, which caps throughput and can stall transfers under load
// (the kernel still bounds what it buffers). The constant is unused.
const DefaultReadBufferLimit = 256 << 10

// Conn is a TCP (or unix domain stream) connection: the Go form of
// usocket's STREAM-USOCKET and its SOCKET-STREAM in one. It is a net.Conn; Read and Write make their system
// calls on the non-blocking socket from the calling goroutine, and when the
// socket is not ready they park that goroutine until a reactor event loop
// reports that it is (the design of Go's own poller, on our loops).
//
// Multiple goroutines may invoke methods on a Conn simultaneously. Writes
// are atomic with respect to each other. A Conn that becomes unreachable
// without Close is closed by a cleanup, as a *net.TCPConn is by its
// finalizer.
type Conn struct {
	*conn // the state the event loop sees; it never points back here
}

// conn is a Conn's state. The watcher's handler (connEvents) points here,
// never at the Conn, so that the event loop does not keep a dropped Conn
// alive and its cleanup can close it.
type conn struct {
	fd    fdlife.FD
	raddr *net.TCPAddr
	laddr atomic.Pointer[net.TCPAddr]
	unix  *unixEnds // the ends of a unix domain connection; nil for TCP

	closed atomic.Bool // Close or Abort was called
	rdShut atomic.Bool // CloseRead was called: Read returns io.EOF
	wrShut atomic.Bool // CloseWrite succeeded

	rto, wto   atomic.Int64   // per-call read and write timeouts, nanoseconds
	rclk, wclk deadline.Clock // time those timeouts, one timer per direction

	rd, wr   wake.Edge     // readable and writable edges, for parked calls
	done     chan struct{} // closed by Close, Abort or the reactor stopping
	doneOnce sync.Once

	rdl, wdl deadline.Deadline
	wmu      wake.Lock // serialises Write, honouring its deadline and timeout
	rop      readOp    // a Read's call, made by the loop lent to it (readLent)

	sig waitlist.Signal

	// w is the loop's registration, lent to blocked calls (wake.Lender);
	// nil until registered.
	w atomic.Pointer[reactor.Watcher]
}

var (
	_ net.Conn                        = (*Conn)(nil)
	_ syscall.Conn                    = (*Conn)(nil)
	_ waitlist.Source                 = (*Conn)(nil)
	_ interface{ CloseWrite() error } = (*Conn)(nil)
	_ interface{ CloseRead() error }  = (*Conn)(nil)
)

// testHookAfterEAGAIN, set only by tests, runs when a Read, Write or
// Accept got EAGAIN and before it parks: it widens the window in which an
// edge must not be lost.
var testHookAfterEAGAIN atomic.Pointer[func(op string)]

func afterEAGAIN(op string) {
	if h := testHookAfterEAGAIN.Load(); h != nil {
		(*h)(op)
	}
}

// startConn makes the Conn for a connected non-blocking socket and
// registers it with r; on failure fd is closed and the bare cause returned
// for the caller to put in its shape. SO_RCVBUF is set only when limit
// asks for it: by default the kernel autotunes the receive buffer.
func startConn(r *reactor.Reactor, fd int, raddr, laddr netip.AddrPort, limit int) (*Conn, error) {
	c := &conn{raddr: net.TCPAddrFromAddrPort(sockaddr.Unmap(raddr))}
	if laddr.IsValid() { // errors name both ends
		c.laddr.Store(net.TCPAddrFromAddrPort(sockaddr.Unmap(laddr)))
	}
	return c.start(r, fd, limit)
}

// start registers c, whose addresses are set, for fd with r; see startConn.
func (c *conn) start(r *reactor.Reactor, fd, limit int) (*Conn, error) {
	if limit > 0 {
		if err := optRcvBuf.set(fd, limit); err != nil {
			closeFD(fd)
			return nil, err
		}
	}
	c.done = make(chan struct{})
	c.wmu = wake.NewLock()
	c.fd.Init(fd)
	// Every call makes its system call before it waits for an edge: the
	// loop need not report edges that nobody waits for.
	w, err := watchFD(&c.fd, r, (*connEvents)(c), reactor.WaitersOnly())
	if err != nil {
		return nil, err
	}
	if w != nil { // nil on the net backend: no loop to lend
		c.w.Store(w)
		c.sig.SetObserver(w.SetObserved)
		c.rdl.OnExpire(c.kick) // a call running the loop itself waits on no channel
		c.wdl.OnExpire(c.kick)
		c.rclk.OnExpire(c.kick)
		c.wclk.OnExpire(c.kick)
	}
	pub := &Conn{c}
	runtime.AddCleanup(pub, (*conn).dropped, c)
	return pub, nil
}

// dropped closes a Conn that became unreachable without Close.
func (c *conn) dropped() { _ = c.close(false) }

// Read reads received bytes into b. It blocks until data is there, the
// peer has shut down its side (then it returns the bare io.EOF, as the
// standard library does), the read deadline or the read timeout passes, or
// the connection is closed.
func (c *Conn) Read(b []byte) (int, error) {
	if !c.fd.Acquire() {
		return 0, c.opError("read", net.ErrClosed)
	}
	defer c.fd.Release()
	if len(b) == 0 {
		return 0, nil
	}
	ct := c.rclk.Call(time.Duration(c.rto.Load()))
	defer ct.Done()
	for {
		if c.rdShut.Load() {
			return 0, io.EOF
		}
		if ct.Passed(&c.rdl) {
			return 0, c.timeoutError("read")
		}
		switch how, n, err := c.readLent(b, &ct); how {
		case lentMade:
			return c.readResult(n, err)
		case lentStopped:
			if c.closed.Load() {
				return 0, c.opError("read", net.ErrClosed)
			}
			continue
		}
		seq := c.rd.Seq() // before the read: an edge after it is not lost
		n, err := readFD(c.fd.Sysfd, b)
		if err != unix.EAGAIN {
			return c.readResult(n, err)
		}
		afterEAGAIN("read")
		if err := c.wait(&c.rd, seq, &c.rdl, &ct, "read"); err != nil {
			return 0, err
		}
	}
}

// readResult is what Read returns for its system call's result.
func (c *conn) readResult(n int, err error) (int, error) {
	switch {
	case err != nil:
		return 0, c.opError("read", os.NewSyscallError("read", err))
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// wait parks a call whose system call got EAGAIN after it read seq from e,
// until the next edge, the connection closing, or the deadline or the
// call's timeout passing.
func (c *conn) wait(e *wake.Edge, seq uint64, dl *deadline.Deadline, ct *deadline.Call, op string) error {
	return c.waitError(untilDue(dl, ct, func() wake.Result { return e.Wait(seq, c.stops(dl, ct)) }), op)
}

// untilDue runs wait, which gives up with wake.Expired when dl or ct's
// channel closes, again for as long as neither the deadline nor the call's
// own timeout has passed: ct's channel closes early now and then, when
// the timer that the direction's calls share fires for another call
// (deadline.Clock).
func untilDue(dl *deadline.Deadline, ct *deadline.Call, wait func() wake.Result) wake.Result {
	for {
		r := wait()
		if r != wake.Expired || ct.Passed(dl) {
			return r
		}
	}
}

// stops are the events that end a wait besides readiness. A deadline
// that is not set is left out: setting one wakes the wait (notifyDeadline),
// which then waits again with it. The wait may run the loop itself (c.w,
// a wake.Lender); what wakes a wait from outside the loop kicks it
// (c.kick), the deadline and the call's timeout passing too.
func (c *conn) stops(dl *deadline.Deadline, ct *deadline.Call) wake.Stops {
	s := wake.Stops{Done: c.done, Timeout: ct.Wait()}
	if dl.IsSet() {
		s.Deadline = dl.Wait()
	}
	if w := c.w.Load(); w != nil {
		s.Lender = w
	}
	return s
}

// kick wakes a call that runs the loop itself (wake.Lender) after an
// edge was notified or done closed from outside the loop.
func (c *conn) kick() {
	if w := c.w.Load(); w != nil {
		w.Kick()
	}
}

// waitError is the error for how a wait ended; nil when ready.
func (c *conn) waitError(r wake.Result, op string) error {
	switch r {
	case wake.Ready:
		return nil
	case wake.Closed:
		return c.opError(op, net.ErrClosed)
	}
	return c.timeoutError(op)
}

// Write writes b to the connection. It returns once the kernel has taken
// all of b; while the socket's send buffer is full it blocks until there is
// room, the write deadline or write timeout passes (the count then says how
// much was written), or the connection is closed. A Write waiting for
// another to finish is bounded by the same deadline and timeout.
func (c *Conn) Write(b []byte) (int, error) {
	n := 0
	err := c.writeWith("write", func(fd int) (bool, error) {
		k, err := writeFD(fd, b[n:])
		if k > 0 {
			n += k
		}
		return err == nil && n == len(b), err
	})
	return n, err
}

// writeWith runs one writing call: it takes the write lock (waiting for
// another writer within the same deadline and timeout), then calls step
// with the descriptor until step reports done, parking on the writable
// edge each time step's system call got EAGAIN. step counts what it wrote
// itself; writeWith returns its errors wrapped for op (an errno as op's
// system call error; a *net.OpError, made by step for another end of a
// transfer, as it is).
func (c *Conn) writeWith(op string, step func(fd int) (done bool, err error)) error {
	if !c.fd.Acquire() {
		return c.opError(op, net.ErrClosed)
	}
	defer c.fd.Release()
	ct := c.wclk.Call(time.Duration(c.wto.Load()))
	defer ct.Done()
	if c.wdl.Expired() {
		return c.timeoutError(op)
	}
	if !c.wmu.TryAcquire() {
		// The lock's waiters are not woken by notifyDeadline: they always
		// watch the deadline's channel.
		r := untilDue(&c.wdl, &ct, func() wake.Result {
			return c.wmu.Acquire(wake.Stops{Done: c.done, Deadline: c.wdl.Wait(), Timeout: ct.Wait()})
		})
		if err := c.waitError(r, op); err != nil {
			return err
		}
	}
	defer c.wmu.Release()
	for {
		if ct.Passed(&c.wdl) {
			return c.timeoutError(op)
		}
		seq := c.wr.Seq()
		done, err := step(c.fd.Sysfd)
		switch {
		case done:
			return nil
		case err == nil:
			continue
		case err != unix.EAGAIN:
			return c.opError(op, syscallError(op, err))
		}
		afterEAGAIN(op)
		if err := c.wait(&c.wr, seq, &c.wdl, &ct, op); err != nil {
			return err
		}
	}
}

// Close closes the connection: it wakes blocked calls, refuses further
// use, and closes the socket before it returns: at once when no call is in
// flight, else, as *net.TCPConn does, once the woken calls have left (the
// last one out closes it; called from a SyscallConn Control function it
// does not wait for that function). It is the Go form of usocket's
// SOCKET-CLOSE; as with close(2) and *net.TCPConn (and unlike SBCL), what
// was written is still sent by the kernel (use Abort to drop it). It never
// waits for an event loop, so it may be called from a reactor callback.
func (c *Conn) Close() error { return c.close(false) }

// Abort closes the connection at once: unsent output is dropped and the
// peer receives a reset (RST, SO_LINGER 0).
func (c *Conn) Abort() error { return c.close(true) }

func (c *conn) close(abort bool) error {
	if c.closed.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	if abort && c.fd.Acquire() {
		resetFD(c.fd.Sysfd)
		c.fd.Release()
	}
	c.finish() // wake parked calls first: they leave at once
	c.rdl.Stop()
	c.wdl.Stop()
	c.rclk.Stop()
	c.wclk.Stop()
	c.fd.Close()
	return nil
}

// finish wakes every blocked call for good.
func (c *conn) finish() {
	c.doneOnce.Do(func() { close(c.done) })
	c.sig.Notify()
	c.kick()
}

// LocalAddr returns the local address, a *net.TCPAddr (a *net.UnixAddr
// for a unix domain connection).
func (c *Conn) LocalAddr() net.Addr {
	if c.unix != nil {
		return c.unix.local
	}
	return c.localAddr()
}

func (c *conn) localAddr() *net.TCPAddr { return c.laddr.Load() }

// RemoteAddr returns the peer's address, a *net.TCPAddr (a *net.UnixAddr
// for a unix domain connection).
func (c *Conn) RemoteAddr() net.Addr {
	if c.unix != nil {
		return c.unix.remote
	}
	return c.raddr
}

// LocalAddrPort returns the local address and port: the Go form of
// usocket's GET-LOCAL-NAME (GET-LOCAL-ADDRESS and GET-LOCAL-PORT are its
// Addr and Port). It is the zero AddrPort for a unix domain connection.
func (c *Conn) LocalAddrPort() netip.AddrPort {
	if a := c.localAddr(); a != nil {
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// RemoteAddrPort returns the peer's address and port: the Go form of
// usocket's GET-PEER-NAME. It is the zero AddrPort for a unix domain
// connection.
func (c *Conn) RemoteAddrPort() netip.AddrPort { return c.raddr.AddrPort() }

// SetDeadline sets the read and write deadlines, as for net.Conn: calls
// already blocked are woken when it passes, with an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds. The zero time removes it.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.rdl.Set(t)
	c.wdl.Set(t)
	c.notifyDeadline()
	return nil
}

// SetReadDeadline sets the read deadline; see SetDeadline.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.rdl.Set(t)
	c.notifyDeadline()
	return nil
}

// SetWriteDeadline sets the write deadline; see SetDeadline. A Write that
// times out may have written part of its buffer; its count says how much.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.wdl.Set(t)
	c.notifyDeadline()
	return nil
}

// deadlineCheck fails with net.ErrClosed inside a *net.OpError once the
// Conn is closed; for methods that make no system call.
func (c *conn) deadlineCheck() error {
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	return nil
}

// notifyDeadline wakes blocked calls so they wait on the new deadline's
// channel; they only return when a deadline has really passed.
func (c *conn) notifyDeadline() {
	c.rd.Notify()
	c.wr.Notify()
	c.kick()
}

// Ready reports whether Read would not block: data is waiting in the
// socket (asked of the kernel with a 1-byte MSG_PEEK), the peer shut down
// its side, the socket has an error, or the connection is closed or shut
// down for reading. It makes Conn a waitlist.Source.
func (c *Conn) Ready() bool {
	if c.rdShut.Load() || !c.fd.Acquire() {
		return true
	}
	defer c.fd.Release()
	return peekReady(c.fd.Sysfd)
}

// WaitSignal returns the connection's readiness signal, for package
// waitlist.
func (c *Conn) WaitSignal() *waitlist.Signal { return &c.sig }
