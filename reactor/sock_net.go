//go:build windows || usocket_netstd

package reactor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/unix"
)

// This file is the socket side of the net backend (poller_net.go): a
// connection is a net.Conn read by its netSource's goroutine and written
// by a goroutine per batch; a listening socket is a net.Listener whose
// netSource accepts. It is sock_fd.go's set of operations, for
// development on Windows; with the usocket_netstd build tag Linux runs it.

// rawFDs says the backend drives raw descriptors: it does not, so
// watchers, SO_REUSEPORT per loop and the listen backlog are unsupported.
const rawFDs = false

// backendName names the backend in an UnsupportedError.
const backendName = "net"

// maxNetWrite bounds the bytes one write goroutine sends at a time.
const maxNetWrite = 256 << 10

// connIO is a connection's net side.
type connIO = *netConn

// netConn is a net.Conn driven for a loop. The read result (buf[:n], err)
// is the netSource's; off, writing and wbuf are the loop's, except that
// a write goroutine owns wbuf and sets wn and werr while writing is set.
type netConn struct {
	mu  sync.Mutex // guards writing, closing and reset between the loop and a writer
	nc  net.Conn
	src netSource
	buf []byte // the reader's buffer
	n   int    // bytes the last read got
	off int    // of which the loop has taken off
	err error  // the last read's error: sticky (io.EOF for the peer's FIN)

	writing bool   // a write goroutine is sending wbuf
	closing bool   // the socket closes once that write ends (sysClose)
	reset   bool   // Abort: close at once, in-flight write or not
	wbuf    []byte // a copy of the queue's head, being sent
	wn      int    // bytes the last write sent, not yet dropped from the queue
	werr    error  // the last write's error
}

// maxNetRead bounds a connection's own read buffer: every connection
// holds one (its reader blocks in Read with it), so it is kept small.
const maxNetRead = 16 << 10

// newNetConn wraps nc, reading up to size bytes at a time.
func newNetConn(nc net.Conn, size int) *netConn {
	n := &netConn{nc: nc, buf: make([]byte, min(size, maxNetRead))}
	n.src.init(n.readStep, nil)
	return n
}

// readStep is the reader goroutine's one blocking read.
func (n *netConn) readStep() bool {
	n.n, n.err = n.nc.Read(n.buf)
	n.off = 0
	return n.err != nil
}

// sysRead copies out what the reader got: unix.EAGAIN if nothing waits,
// (0, nil) at the peer's FIN, the read's error after the data before it.
func (c *Conn) sysRead(b []byte) (int, error) {
	n := c.io
	if !n.src.ready {
		return 0, unix.EAGAIN
	}
	if n.off < n.n {
		k := copy(b, n.buf[n.off:n.n])
		n.off += k
		if n.off < n.n || n.err != nil {
			n.src.renotify() // the rest, or the error, next
		} else {
			n.src.consumed()
		}
		return k, nil
	}
	if n.err == io.EOF {
		return 0, nil
	}
	return 0, n.err
}

// sysWrite never writes from the loop: WriteDirect queues instead.
func (c *Conn) sysWrite([]byte) (int, error) { return 0, unix.EAGAIN }

// sysSend reports the last write goroutine's result (dropping what it
// sent from the queue) and starts the next one. It returns unix.EAGAIN
// while one runs: its end is reported as a write event, which flushes
// again. BytesWritten counts a write's bytes when it starts (startWrite),
// as the fd backends count bytes the kernel's send queue takes, so that
// a connection closed meanwhile has them counted before OnClose; a write
// that fails takes back what it did not send.
func (c *Conn) sysSend() (int, bool, error) { // never from a file: see errNoSendFile
	n := c.io
	n.mu.Lock()
	writing := n.writing
	n.mu.Unlock()
	if writing {
		return 0, false, unix.EAGAIN
	}
	sent, err := n.wn, n.werr
	if short := len(n.wbuf) - sent; short > 0 {
		c.loop.stats.bytesWritten.Add(^uint64(short - 1)) // minus short
	}
	n.wn, n.werr, n.wbuf = 0, nil, n.wbuf[:0]
	if sent > 0 {
		c.wq.consume(sent)
	}
	if err != nil {
		return sent, false, err
	}
	if !c.wq.empty() {
		n.startWrite(c)
		c.touch() // the kernel would have taken the bytes now
	}
	if sent == 0 {
		return 0, false, unix.EAGAIN
	}
	return sent, false, nil
}

// startWrite copies the head of the queue and sends it from a goroutine;
// the queue keeps the bytes until the write's result is taken, so
// Buffered and the water marks count them until they are sent.
func (n *netConn) startWrite(c *Conn) {
	n.wbuf = c.wq.gather(n.wbuf[:0], maxNetWrite)
	c.loop.stats.bytesWritten.Add(uint64(len(n.wbuf)))
	n.mu.Lock()
	n.writing = true
	n.mu.Unlock()
	p := c.loop.poller
	p.aux.Add(1)
	go n.write(p)
}

// write is a write goroutine: one blocking Write, then the result goes
// to the loop.
func (n *netConn) write(p *poller) {
	defer p.aux.Done()
	n.wn, n.werr = n.nc.Write(n.wbuf)
	n.mu.Lock()
	closing := n.closing
	n.writing = false
	n.mu.Unlock()
	if closing {
		_ = n.nc.Close()
	}
	if testHookNetWritten != nil {
		testHookNetWritten()
	}
	_ = p.trigger(writeDoneTask, n)
}

// testHookNetWritten, set only by tests before a reactor starts, runs in a
// write goroutine after its write, before the loop hears of the result.
var testHookNetWritten func()

// writeDoneTask reports a finished write as a write event.
func writeDoneTask(p any) error {
	n := p.(*netConn)
	if !n.src.st.Stopped() {
		n.src.p.dispatch(n.src.fd, n.src.gen, evWrite)
	}
	return nil
}

// gather appends up to limit bytes from the front of the queue to dst,
// without dropping them.
func (q *outQueue) gather(dst []byte, limit int) []byte {
	off := q.off
	for _, b := range q.bufs {
		if len(dst) >= limit {
			break
		}
		chunk := (*b)[off:]
		off = 0
		dst = append(dst, chunk[:min(len(chunk), limit-len(dst))]...)
	}
	return dst
}

// sysShutdownWrite half-closes: called once the queue is empty, so no
// write goroutine runs.
func (c *Conn) sysShutdownWrite() {
	if cw, ok := c.io.nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// sysResetOnClose makes the coming close send an RST.
func (c *Conn) sysResetOnClose() {
	if tc, ok := c.io.nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.io.mu.Lock()
	c.io.reset = true
	c.io.mu.Unlock()
}

// sysClose closes the socket (which ends the reader's blocked call) and
// frees the handle. Safe from any goroutine. Bytes a write goroutine is
// sending are as good as in the kernel's send queue, which close(2)
// leaves to the kernel: unless the connection is being reset, that write
// may finish, within closeGrace, and closes the socket after it.
func (c *Conn) sysClose() {
	n := c.io
	n.src.close()
	n.mu.Lock()
	later := n.writing && !n.reset
	n.closing = later
	n.mu.Unlock()
	if later {
		_ = n.nc.SetWriteDeadline(time.Now().Add(closeGrace))
		return
	}
	_ = n.nc.Close()
}

// closeGrace bounds how long a write in flight may go on after its
// connection closed.
const closeGrace = time.Second

// sysPendingError is never asked: the net backend reports no error events.
func (c *Conn) sysPendingError() (int, error) { return 0, nil }

func (c *Conn) sysLocal() netip.AddrPort { return netAddrPort(c.io.nc.LocalAddr()) }

// sysControl runs f with the socket's handle, through its syscall.RawConn
// (a SOCKET on Windows), which keeps it open meanwhile.
func (c *Conn) sysControl(f func(fd uintptr)) error {
	sc, ok := c.io.nc.(syscall.Conn)
	if !ok {
		return unsupported("Control")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	if err := rc.Control(f); err != nil {
		if errors.Is(err, net.ErrClosed) {
			return ErrClosed
		}
		return err
	}
	return nil
}

// netAddrPort is a TCP address as the fd backends give it: IPv4 unmapped.
func netAddrPort(a net.Addr) netip.AddrPort {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ta.AddrPort()
	if ap.Addr().Is4In6() {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}

// takeConn wraps a connected stream socket for a Conn; anything without
// a socket (syscall.Conn) gives ErrNotSocket and is closed.
func takeConn(nc net.Conn, size int) (int, connIO, error) {
	if _, ok := nc.(syscall.Conn); !ok {
		_ = nc.Close()
		return -1, nil, ErrNotSocket
	}
	n := newNetConn(nc, size)
	return n.src.fd, n, nil
}

// checkListenOptions refuses what needs a raw descriptor.
func checkListenOptions(o *listenOptions) error {
	switch {
	case o.reusePort:
		return unsupported("WithReusePort")
	case o.backlog > 0:
		return unsupported("WithBacklog")
	}
	return nil
}

// listenIO is a listening socket's net side.
type listenIO = *netListener

// netListener is a net.Listener accepting for a loop; nc and err are the
// last Accept's result (the netSource's).
type netListener struct {
	ln  net.Listener
	src netSource
	nc  net.Conn
	err error
}

// listenSocketFD listens with the standard library and keeps the listener.
func listenSocketFD(ctx context.Context, network, address string, o *listenOptions) (int, listenIO, net.Addr, string, error) {
	lc := net.ListenConfig{Control: o.control}
	gl, err := lc.Listen(ctx, network, address)
	if err != nil {
		return -1, nil, nil, "", err
	}
	l := &netListener{ln: gl}
	l.src.init(l.acceptStep, l.dropAccepted)
	return l.src.fd, l, gl.Addr(), unixSocketFile(gl), nil
}

func (l *netListener) acceptStep() bool {
	l.nc, l.err = l.ln.Accept()
	return errors.Is(l.err, net.ErrClosed)
}

// dropAccepted closes a connection accepted as the listener closed.
func (l *netListener) dropAccepted() {
	if l.nc != nil {
		_ = l.nc.Close()
		l.nc = nil
	}
}

// sysAccept takes the connection the acceptor got; unix.EAGAIN if none.
func (s *listenSocket) sysAccept() (int, connIO, netip.AddrPort, *unixAddrs, error) {
	l := s.io
	if !l.src.ready {
		return -1, nil, netip.AddrPort{}, nil, unix.EAGAIN
	}
	nc, err := l.nc, l.err
	l.nc, l.err = nil, nil
	l.src.ready = false
	if err != nil {
		return -1, nil, netip.AddrPort{}, nil, err // the back-off re-arms
	}
	l.src.arm()
	n := newNetConn(nc, s.loop.r.opts.ReadBufferSize)
	return n.src.fd, n, netAddrPort(nc.RemoteAddr()), unixAddrsOf(nc), nil
}

// sysClose closes the listener (ending a blocked Accept) and a connection
// accepted and not yet taken.
func (s *listenSocket) sysClose() {
	l := s.io
	l.src.close()
	_ = l.ln.Close()
	if l.src.ready {
		l.dropAccepted()
	}
}

// errNoSendFile: the net backend's writer goroutine sends only bytes.
var errNoSendFile = fmt.Errorf("reactor: SendFile on the net backend: %w", errors.ErrUnsupported)
