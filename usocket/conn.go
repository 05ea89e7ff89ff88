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

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
	"golang.org/x/sys/unix"
)

// DefaultReadBufferLimit is the ReadBufferLimit of a Conn when none is
// configured: the size asked for the socket's receive buffer (SO_RCVBUF).
// Received bytes stay in the kernel until Read takes them; once the buffer
// is full, TCP flow control holds the peer back.
const DefaultReadBufferLimit = 256 << 10

// Conn is a TCP connection: the Go form of usocket's STREAM-USOCKET and its
// SOCKET-STREAM in one. It is a net.Conn; Read and Write make their system
// calls on the non-blocking socket from the calling goroutine, and when the
// socket is not ready they park that goroutine until a reactor event loop
// reports that it is (the design of Go's own poller, on our loops).
//
// Multiple goroutines may invoke methods on a Conn simultaneously. Writes
// are atomic with respect to each other.
type Conn struct {
	fd    fdLife
	raddr *net.TCPAddr
	laddr atomic.Pointer[net.TCPAddr]

	closed atomic.Bool // Close or Abort was called
	rdShut atomic.Bool // CloseRead was called: Read returns io.EOF
	wrShut atomic.Bool // CloseWrite succeeded

	rto, wto atomic.Int64 // per-call read and write timeouts, nanoseconds

	rready   chan struct{} // token: the socket became readable
	wready   chan struct{} // token: the socket became writable
	rwaiting atomic.Int32  // Reads parked on rready
	wwaiting atomic.Bool   // a Write is parked on wready (Writes are serialised)
	done     chan struct{} // closed by Close, Abort or the reactor stopping
	doneOnce sync.Once

	rdl, wdl deadline.Deadline
	wmu      sync.Mutex // serialises Write

	sig waitlist.Signal
}

var (
	_ net.Conn                        = (*Conn)(nil)
	_ syscall.Conn                    = (*Conn)(nil)
	_ waitlist.Source                 = (*Conn)(nil)
	_ interface{ CloseWrite() error } = (*Conn)(nil)
	_ interface{ CloseRead() error }  = (*Conn)(nil)
)

// startConn makes the Conn for a connected non-blocking socket and
// registers it with r; on failure fd is closed and the bare cause returned
// for the caller to put in its shape.
func startConn(r *reactor.Reactor, fd int, raddr, laddr netip.AddrPort, limit int) (*Conn, error) {
	if limit <= 0 {
		limit = DefaultReadBufferLimit
	}
	if err := optRcvBuf.set(fd, limit); err != nil {
		_ = unix.Close(fd)
		return nil, err
	}
	c := &Conn{
		raddr:  net.TCPAddrFromAddrPort(unmapAddrPort(raddr)),
		rready: make(chan struct{}, 1),
		wready: make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	if laddr.IsValid() { // errors name both ends
		c.laddr.Store(net.TCPAddrFromAddrPort(unmapAddrPort(laddr)))
	}
	c.fd.init(fd)
	if err := c.fd.watch(r, (*connEvents)(c)); err != nil {
		return nil, err
	}
	return c, nil
}

// Read reads received bytes into b. It blocks until data is there, the
// peer has shut down its side (then it returns the bare io.EOF, as the
// standard library does), the read deadline or the read timeout passes, or
// the connection is closed.
func (c *Conn) Read(b []byte) (int, error) {
	if !c.fd.acquire() {
		return 0, c.opError("read", net.ErrClosed)
	}
	defer c.fd.release()
	if len(b) == 0 {
		return 0, nil
	}
	ct := callTimer{d: time.Duration(c.rto.Load())}
	defer ct.stop()
	for {
		if c.rdShut.Load() {
			c.passRead()
			return 0, io.EOF
		}
		if c.rdl.Expired() {
			return 0, c.timeoutError("read")
		}
		n, err := readFD(c.fd.fd, b)
		if err != unix.EAGAIN {
			c.passRead()
			switch {
			case err != nil:
				return 0, c.opError("read", os.NewSyscallError("read", err))
			case n == 0:
				return 0, io.EOF
			}
			return n, nil
		}
		c.rwaiting.Add(1)
		err = c.await(c.rready, &c.rdl, &ct, "read")
		c.rwaiting.Add(-1)
		if err != nil {
			return 0, err
		}
	}
}

// passRead hands the readable token on when other Reads are parked: the
// edge that woke this one may have been the only one for what is left.
func (c *Conn) passRead() {
	if c.rwaiting.Load() > 0 {
		signal(c.rready)
	}
}

// await parks a call until its token comes, the connection is closed, or
// the deadline or the call's timeout passes.
func (c *Conn) await(token chan struct{}, dl *deadline.Deadline, ct *callTimer, op string) error {
	select {
	case <-token:
		return nil
	case <-c.done:
		return c.opError(op, net.ErrClosed)
	case <-dl.Wait():
		return c.timeoutError(op)
	case <-ct.start():
		return c.timeoutError(op)
	}
}

// Write writes b to the connection. It returns once the kernel has taken
// all of b; while the socket's send buffer is full it blocks until there is
// room, the write deadline or write timeout passes (the count then says how
// much was written), or the connection is closed.
func (c *Conn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !c.fd.acquire() {
		return 0, c.opError("write", net.ErrClosed)
	}
	defer c.fd.release()
	ct := callTimer{d: time.Duration(c.wto.Load())}
	defer ct.stop()
	n := 0
	for {
		if c.wdl.Expired() {
			return n, c.timeoutError("write")
		}
		k, err := writeFD(c.fd.fd, b[n:])
		if k > 0 {
			n += k
		}
		switch {
		case err == nil && n == len(b):
			return n, nil
		case err == nil:
			continue
		case err != unix.EAGAIN:
			return n, c.opError("write", os.NewSyscallError("write", err))
		}
		if err := c.awaitWritable(&ct); err != nil {
			return n, err
		}
	}
}

// awaitWritable parks a Write whose write got EAGAIN. The loop hands out
// writable tokens only while a Write says it waits (most writable edges
// come with read edges and nobody needs them), so after saying so the
// Write checks once more, in case the edge came just before.
func (c *Conn) awaitWritable(ct *callTimer) error {
	c.wwaiting.Store(true)
	defer c.wwaiting.Store(false)
	if c.fd.writable() {
		return nil
	}
	return c.await(c.wready, &c.wdl, ct, "write")
}

// Close closes the connection: it wakes blocked calls, refuses further
// use, and closes the socket once no call is using it. It is the Go form
// of usocket's SOCKET-CLOSE; as with close(2) and *net.TCPConn (and unlike
// SBCL), what was written is still sent by the kernel (use Abort to drop
// it).
func (c *Conn) Close() error { return c.close(false) }

// Abort closes the connection at once: unsent output is dropped and the
// peer receives a reset (RST, SO_LINGER 0).
func (c *Conn) Abort() error { return c.close(true) }

func (c *Conn) close(abort bool) error {
	if c.closed.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	if abort && c.fd.acquire() {
		_ = unix.SetsockoptLinger(c.fd.fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
		c.fd.release()
	}
	c.fd.startClose()
	c.finish()
	c.rdl.Stop()
	c.wdl.Stop()
	return nil
}

// finish wakes every blocked call for good.
func (c *Conn) finish() {
	c.doneOnce.Do(func() { close(c.done) })
	c.sig.Notify()
}

// LocalAddr returns the local address, a *net.TCPAddr.
func (c *Conn) LocalAddr() net.Addr { return c.localAddr() }

func (c *Conn) localAddr() *net.TCPAddr { return c.laddr.Load() }

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

func (c *Conn) deadlineCheck() error {
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	return nil
}

// notifyDeadline wakes blocked calls so they wait on the new deadline's
// channel; they only return when a deadline has really passed.
func (c *Conn) notifyDeadline() {
	signal(c.rready)
	signal(c.wready)
}

// Ready reports whether Read would not block: data is waiting in the
// socket (asked of the kernel with a 1-byte MSG_PEEK), the peer shut down
// its side, the socket has an error, or the connection is closed or shut
// down for reading. It makes Conn a waitlist.Source.
func (c *Conn) Ready() bool {
	if c.rdShut.Load() || !c.fd.acquire() {
		return true
	}
	defer c.fd.release()
	return peekReady(c.fd.fd)
}

// WaitSignal returns the connection's readiness signal, for package
// waitlist.
func (c *Conn) WaitSignal() *waitlist.Signal { return &c.sig }
