package usocket

import (
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// DefaultReadBufferLimit is how many received bytes a Conn holds for its
// reader before it stops reading from the socket, so that TCP flow control
// holds the peer back. Reading resumes once the reader has drained the
// buffer below half of the limit.
const DefaultReadBufferLimit = 256 << 10

// writePace is the outbound queue size above which Write hands the event
// loop its next chunk only after the loop has taken the earlier ones (one
// round trip to the loop), and waits outright while the reactor reports the
// queue above its high-water mark, until it drains to the low-water mark.
// Keeping the queue short spares the loop copying it around.
const writePace = 32 << 10

// writeChunk is the most one Write hands to the event loop at a time, so a
// large Write never queues more than this beyond the reactor's high-water
// mark.
const writeChunk = 128 << 10

// Conn is a TCP connection: the Go form of usocket's STREAM-USOCKET and its
// SOCKET-STREAM in one. It is a net.Conn whose I/O runs on a reactor event
// loop; Read and Write block the calling goroutine, never the loop.
//
// Multiple goroutines may invoke methods on a Conn simultaneously. Writes
// are atomic with respect to each other.
type Conn struct {
	rc    *reactor.Conn
	raddr *net.TCPAddr
	laddr atomic.Pointer[net.TCPAddr]
	limit int // read buffer limit

	mu     sync.Mutex
	rq     rxQueue // received bytes not yet read
	rwait  []byte  // the buffer of the Read parked for a direct hand-off
	rgot   int     // bytes handed off into rwait
	paused bool    // read interest is off because rq is full
	eof    bool    // the peer shut down its write side
	rdShut bool    // CloseRead was called
	wrShut bool    // CloseWrite was called
	closed bool    // Close or Abort was called
	gone   bool    // the reactor closed the connection
	cause  error   // why it was closed, if not by us

	rto, wto atomic.Int64 // per-call read and write timeouts, nanoseconds

	rready   chan struct{} // token: the read side changed
	hready   chan struct{} // token for the hand-off reader: data or a change
	wready   chan struct{} // token: the write queue drained, or a check said go on
	done     chan struct{} // closed by Close, Abort or the end of the connection
	doneOnce sync.Once
	goneCh   chan struct{} // closed once the reactor closed the descriptor

	rdl, wdl deadline
	wmu      sync.Mutex  // serialises Write
	dw       directWrite // guarded by wmu

	loopBlocked bool   // owned by the loop: the reactor reported the queue above its high-water mark
	checkDrain  func() // c.onCheckDrain, bound once

	sig waitlist.Signal
}

var (
	_ net.Conn                        = (*Conn)(nil)
	_ syscall.Conn                    = (*Conn)(nil)
	_ waitlist.Source                 = (*Conn)(nil)
	_ interface{ CloseWrite() error } = (*Conn)(nil)
	_ interface{ CloseRead() error }  = (*Conn)(nil)
)

func newConn(raddr netip.AddrPort, limit int) *Conn {
	if limit <= 0 {
		limit = DefaultReadBufferLimit
	}
	c := &Conn{
		raddr:  net.TCPAddrFromAddrPort(unmapAddrPort(raddr)),
		limit:  limit,
		rready: make(chan struct{}, 1),
		hready: make(chan struct{}, 1),
		wready: make(chan struct{}, 1),
		done:   make(chan struct{}),
		goneCh: make(chan struct{}),
	}
	c.checkDrain = c.onCheckDrain
	c.dw.fn = c.doDirectWrite
	return c
}

// Read reads received bytes into b. It blocks until data is there, the
// peer has shut down its side (then, once the buffer is drained, it returns
// the bare io.EOF, as the standard library does), the read deadline or the
// read timeout passes, or the connection is closed.
func (c *Conn) Read(b []byte) (int, error) {
	ct := callTimer{d: time.Duration(c.rto.Load())}
	defer ct.stop()
	for {
		c.mu.Lock()
		if n, err, ok := c.readLocked(b); ok {
			return n, err
		}
		// Park. The first parked reader lends b to the event loop, which
		// then copies received bytes straight into it.
		wake := c.rready
		handoff := c.rwait == nil
		if handoff {
			c.rwait, c.rgot, wake = b, 0, c.hready
		}
		c.mu.Unlock()
		timedOut := false
		select {
		case <-wake:
		case <-c.done:
		case <-c.rdl.wait():
		case <-ct.start():
			timedOut = true
		}
		if handoff {
			c.mu.Lock()
			n := c.rgot
			c.rwait, c.rgot = nil, 0
			c.mu.Unlock()
			if n > 0 {
				return n, nil // bytes taken from the stream are never lost
			}
		}
		if timedOut {
			return 0, c.timeoutError("read")
		}
	}
}

// readLocked does what Read can do without waiting; ok is false when Read
// must wait. It is called with c.mu held and releases it when ok.
func (c *Conn) readLocked(b []byte) (n int, err error, ok bool) {
	switch {
	case c.closed:
		c.mu.Unlock()
		return 0, c.opError("read", net.ErrClosed), true
	case len(b) == 0:
		c.mu.Unlock()
		return 0, nil, true
	case c.rdl.expired():
		c.mu.Unlock()
		return 0, c.timeoutError("read"), true
	case c.rq.len() > 0:
		n = c.rq.read(b)
		c.consumedLocked()
		more := c.rq.len() > 0
		c.mu.Unlock()
		if more {
			signal(c.rready) // another reader may be waiting
		}
		return n, nil, true
	case c.eof || c.rdShut:
		c.mu.Unlock()
		signal(c.rready)
		return 0, io.EOF, true
	case c.gone:
		cause := c.cause
		c.mu.Unlock()
		return 0, c.causeError("read", cause), true
	}
	return 0, nil, false
}

// consumedLocked resumes reading from the socket once the reader has
// caught up. Called with c.mu held.
func (c *Conn) consumedLocked() {
	if c.paused && c.rq.len() <= c.limit/2 && !c.gone {
		c.paused = false
		_ = c.rc.ResumeRead() // under c.mu, so it cannot overtake a PauseRead
	}
}

// Write writes b to the connection. It copies b into the outbound queue of
// the event loop and returns once all of b is queued; it blocks while the
// queue is above the reactor's high-water mark (1 MiB by default), until the
// loop has drained it, the write deadline or write timeout passes (the
// count then says how much was queued), or the connection is closed. Close
// flushes what was queued.
func (c *Conn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.writeCheck(); err != nil {
		return 0, err
	}
	ct := callTimer{d: time.Duration(c.wto.Load())}
	defer ct.stop()
	n := 0
	for n < len(b) {
		if c.rc.Buffered() == 0 {
			k, err := c.writeDirect(b[n:])
			n += k
			if err != nil || n == len(b) {
				return n, err
			}
		}
		if c.rc.Buffered() >= writePace {
			if err := c.waitWritable(&ct); err != nil {
				return n, err
			}
		}
		chunk := b[n:]
		if len(chunk) > writeChunk {
			chunk = chunk[:writeChunk]
		}
		if _, err := c.rc.Write(chunk); err != nil {
			return n, c.writeError()
		}
		n += len(chunk)
	}
	return n, nil
}

// writeCheck reports why a Write cannot start, or nil.
func (c *Conn) writeCheck() error {
	c.mu.Lock()
	closed, shut, gone := c.closed, c.wrShut, c.gone
	c.mu.Unlock()
	switch {
	case closed:
		return c.opError("write", net.ErrClosed)
	case shut || gone:
		return c.writeError()
	case c.wdl.expired():
		return c.timeoutError("write")
	}
	return nil
}

// waitWritable waits until the event loop says the outbound queue may take
// more: it is below the reactor's low-water mark, or was never above its
// high-water mark.
func (c *Conn) waitWritable(ct *callTimer) error {
	select { // drop a stale token from an earlier wait
	case <-c.wready:
	default:
	}
	if err := c.rc.Execute(c.checkDrain); err != nil {
		return c.writeError()
	}
	select {
	case <-c.wready:
		if c.wdl.expired() {
			return c.timeoutError("write")
		}
		return nil
	case <-c.done:
		return c.writeError()
	case <-c.wdl.wait():
		return c.timeoutError("write")
	case <-ct.start():
		return c.timeoutError("write")
	}
}

// writeError explains why the reactor refused a write.
func (c *Conn) writeError() error {
	c.mu.Lock()
	closed, cause := c.closed, c.cause
	c.mu.Unlock()
	switch {
	case closed:
		return c.opError("write", net.ErrClosed)
	case cause != nil:
		return c.causeError("write", cause)
	}
	// CloseWrite, or the connection ended cleanly: as for a socket whose
	// write side is shut down.
	return c.opError("write", os.NewSyscallError("write", syscall.EPIPE))
}

// Close closes the connection: it wakes blocked calls, refuses further use,
// and lets the event loop flush queued output, shut down the write side and
// close the socket (bounded by the reactor's linger time, 30 s by default).
// It is the Go form of usocket's SOCKET-CLOSE; unlike SBCL's, it does not
// drop output that was written but not yet sent (use Abort for that).
func (c *Conn) Close() error { return c.close(false) }

// Abort closes the connection at once: queued output is dropped and the peer
// receives a reset (RST, SO_LINGER 0).
func (c *Conn) Abort() error { return c.close(true) }

func (c *Conn) close(abort bool) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	}
	c.closed = true
	c.rq.reset()
	c.mu.Unlock()
	c.finish()
	c.rdl.stop()
	c.wdl.stop()
	if abort {
		_ = c.rc.Abort()
	} else {
		_ = c.rc.Close()
	}
	return nil // the reactor refuses only when it already closed the socket
}

// finish wakes every blocked call.
func (c *Conn) finish() {
	c.doneOnce.Do(func() { close(c.done) })
	signal(c.rready)
	signal(c.hready)
	signal(c.wready)
	c.sig.Notify()
}

// LocalAddr returns the local address, a *net.TCPAddr.
func (c *Conn) LocalAddr() net.Addr { return c.localAddr() }

func (c *Conn) localAddr() *net.TCPAddr {
	if a := c.laddr.Load(); a != nil {
		return a
	}
	ap := unmapAddrPort(c.rc.LocalAddrPort())
	if !ap.IsValid() {
		return nil
	}
	a := net.TCPAddrFromAddrPort(ap)
	c.laddr.Store(a)
	return a
}

// RemoteAddr returns the peer's address, a *net.TCPAddr.
func (c *Conn) RemoteAddr() net.Addr { return c.raddr }

// LocalAddrPort returns the local address and port: the Go form of
// usocket's GET-LOCAL-NAME (GET-LOCAL-ADDRESS and GET-LOCAL-PORT are its
// Addr and Port).
func (c *Conn) LocalAddrPort() netip.AddrPort {
	if a := c.localAddr(); a != nil {
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// RemoteAddrPort returns the peer's address and port: the Go form of
// usocket's GET-PEER-NAME.
func (c *Conn) RemoteAddrPort() netip.AddrPort { return c.raddr.AddrPort() }

// SetDeadline sets the read and write deadlines, as for net.Conn: calls
// already blocked are woken when it passes, with an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds. The zero time removes it.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.rdl.reset(t)
	c.wdl.reset(t)
	c.notifyDeadline()
	return nil
}

// SetReadDeadline sets the read deadline; see SetDeadline.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.rdl.reset(t)
	c.notifyDeadline()
	return nil
}

// SetWriteDeadline sets the write deadline; see SetDeadline. A Write that
// times out may have queued part of its buffer.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.wdl.reset(t)
	c.notifyDeadline()
	return nil
}

func (c *Conn) deadlineCheck() error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return c.opError("set", net.ErrClosed)
	}
	return nil
}

// notifyDeadline wakes blocked calls so they wait on the new deadline's
// channel; they only return when a deadline has really passed.
func (c *Conn) notifyDeadline() {
	signal(c.rready)
	signal(c.hready)
	signal(c.wready)
}

// Ready reports whether Read would not block: data is buffered, the peer
// shut down its side, or the connection is closed or broken. It makes Conn a
// waitlist.Source.
func (c *Conn) Ready() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rq.len() > 0 || c.eof || c.rdShut || c.closed || c.gone
}

// WaitSignal returns the connection's readiness signal, for package
// waitlist.
func (c *Conn) WaitSignal() *waitlist.Signal { return &c.sig }

// signal leaves a token in a one-slot channel without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
