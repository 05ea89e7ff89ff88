package reactor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/internal/unix"
)

// testTimeout bounds every blocking step of a test.
const testTimeout = 20 * time.Second

// hookSink collects what a reactor reports to its error hook.
type hookSink struct {
	ch      chan error
	allowed atomic.Bool // errors are expected; do not fail at cleanup
}

func (s *hookSink) hook(err error) {
	select {
	case s.ch <- err:
	default:
	}
}

// waitFor returns the first reported error that match accepts.
func (s *hookSink) waitFor(t *testing.T, what string, match func(error) bool) error {
	t.Helper()
	s.allowed.Store(true)
	deadline := time.After(testTimeout)
	for {
		select {
		case err := <-s.ch:
			if match(err) {
				return err
			}
			t.Logf("error hook (ignored): %v", err)
		case <-deadline:
			t.Fatalf("error hook never received %s", what)
			return nil
		}
	}
}

// newTestReactor starts a reactor with two loops whose error hook feeds the
// returned sink; the test fails if the hook got errors it did not expect.
func newTestReactor(t *testing.T, opts ...Option) (*Reactor, *hookSink) {
	t.Helper()
	sink := &hookSink{ch: make(chan error, 256)}
	opts = append([]Option{WithLoops(2), WithErrorHook(sink.hook)}, opts...)
	r, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		_ = r.Close()
		if sink.allowed.Load() {
			return
		}
		for len(sink.ch) > 0 {
			t.Errorf("unexpected error reported to the hook: %v", <-sink.ch)
		}
	})
	return r, sink
}

func testContext(tb testing.TB) context.Context {
	return testkit.Context(tb, testTimeout)
}

// listen starts a listener on a loopback ephemeral port.
func listen(t *testing.T, r *Reactor, h Handler, opts ...ListenOption) *Listener {
	t.Helper()
	ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", h, opts...)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// dial connects a standard client with a deadline on all its I/O.
func dial(t *testing.T, addr net.Addr) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout(addr.Network(), addr.String(), testTimeout)
	if err != nil {
		t.Fatalf("dial %v: %v", addr, err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// dialSmallRead dials addr with a receive buffer of size bytes, set
// before the connection is made. Shrinking it after connect (SetReadBuffer)
// leaves the peer's segment size fitted to the larger window it first saw:
// Linux then sends only when its zero-window probe fires, every few hundred
// milliseconds, and an echo through such a client all but stops. Seen on
// the net backend with 16 KiB reads: a server socket with snd_wnd 31744
// and mss 32768, rwnd-limited 100% of the time, in persist (ss -tmi).
func dialSmallRead(t *testing.T, addr net.Addr, size int) *net.TCPConn {
	t.Helper()
	d := net.Dialer{Timeout: testTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, size)
		}); err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial(addr.Network(), addr.String())
	if err != nil {
		t.Fatalf("dial %v with SO_RCVBUF %d: %v", addr, size, err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// recv takes one value from ch or fails the test.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// within runs f and fails the test if it does not return in time: calls
// on a stopped reactor must never hang.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s hung", what)
	}
}

// funcs is a Handler built from optional functions. Without eof it closes
// on the peer's EOF, like BaseHandler.
type funcs struct {
	open  func(c *Conn)
	data  func(c *Conn, b []byte)
	eof   func(c *Conn)
	close func(c *Conn, err error)
}

func (f *funcs) OnOpen(c *Conn) {
	if f.open != nil {
		f.open(c)
	}
}

func (f *funcs) OnData(c *Conn, b []byte) {
	if f.data != nil {
		f.data(c, b)
	}
}

func (f *funcs) OnEOF(c *Conn) {
	if f.eof != nil {
		f.eof(c)
		return
	}
	_ = c.Close()
}

func (f *funcs) OnClose(c *Conn, err error) {
	if f.close != nil {
		f.close(c, err)
	}
}

// echoData writes back what it gets: the whole of a tiny echo server.
// echoConn starts an echo listener on r, dials it, and returns the
// reactor's side of the connection and the client's.
func echoConn(t *testing.T, r *Reactor) (*Conn, *net.TCPConn) {
	t.Helper()
	opened := make(chan *Conn, 1)
	h := echo()
	h.open = func(c *Conn) { opened <- c }
	ln := listen(t, r, h)
	cc := dial(t, ln.Addr())
	return recv(t, opened, "OnOpen"), cc
}

// reporting is an echo handler that reports OnOpen, OnEOF and OnClose on
// its channels.
type reporting struct {
	*funcs
	opened chan *Conn
	eof    chan struct{}
	closed chan error
}

func reportingEcho() *reporting {
	r := &reporting{funcs: echo(), opened: make(chan *Conn, 1), eof: make(chan struct{}, 1), closed: make(chan error, 1)}
	r.open = func(c *Conn) { r.opened <- c }
	r.funcs.eof = func(*Conn) { r.eof <- struct{}{} }
	r.close = func(_ *Conn, err error) { r.closed <- err }
	return r
}

func echoData(c *Conn, b []byte) { _, _ = c.Write(b) }

func echo() *funcs { return &funcs{data: echoData} }

// echoRoundTrip writes msg on c and expects it back.
func echoRoundTrip(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write %q: %v", msg, err)
	}
	got := make([]byte, len(msg))
	if _, err := readFull(c, got); err != nil {
		t.Fatalf("read echo of %q: %v", msg, err)
	}
	if string(got) != msg {
		t.Fatalf("echo = %q, want %q", got, msg)
	}
}

func readFull(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readRepeating reads c to EOF through buf, checking every byte against a
// stream that repeats table[:period] (stream position p holds
// table[p%period]), and returns how many bytes came.
func readRepeating(t *testing.T, c net.Conn, buf, table []byte, period int) int {
	t.Helper()
	n := 0
	for {
		m, err := c.Read(buf)
		for i := 0; i < m; {
			off := (n + i) % period
			k := min(m-i, period-off)
			if !bytes.Equal(buf[i:i+k], table[off:off+k]) {
				t.Fatalf("bytes %d..%d differ from what was written", n+i, n+i+k)
			}
			i += k
		}
		n += m
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("read after %d bytes: %v", n, err)
		}
	}
}

func isClosedErr(err error) bool { return errors.Is(err, net.ErrClosed) }
