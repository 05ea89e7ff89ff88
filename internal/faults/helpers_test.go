package faults

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

// testTimeout bounds every blocking step of a test.
const testTimeout = 20 * time.Second

func testCtx(tb testing.TB) context.Context {
	return testkit.Context(tb, testTimeout)
}

// hookSink collects what a reactor reports to its error hook.
type hookSink struct {
	ch      chan error
	allowed atomic.Bool // errors are expected: do not fail at cleanup
}

func newHookSink() *hookSink { return &hookSink{ch: make(chan error, 256)} }

func (s *hookSink) hook(err error) {
	select {
	case s.ch <- err:
	default:
	}
}

// newReactor starts a private two-loop reactor. When the test ends it is
// shut down gracefully: every connection must close within the bound (none
// may be stuck), and the process must then hold no descriptor it did not
// hold before the reactor started. Errors reported to its hook fail the
// test.
func newReactor(t *testing.T, opts ...reactor.Option) *reactor.Reactor {
	t.Helper()
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	sink := newHookSink()
	opts = append([]reactor.Option{reactor.WithLoops(2), reactor.WithErrorHook(sink.hook)}, opts...)
	r, err := reactor.New(opts...)
	if err != nil {
		t.Fatalf("reactor.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) { // a test may stop it itself
			t.Errorf("reactor Shutdown: %v (connections left open)", err)
		}
		if !sink.allowed.Load() {
			for len(sink.ch) > 0 {
				t.Errorf("unexpected error reported to the reactor hook: %v", <-sink.ch)
			}
		}
		after, err := testkit.OpenFDs()
		if err != nil {
			t.Error(err)
			return
		}
		if diff := testkit.FDDiff(before, after); len(diff) > 0 {
			t.Errorf("descriptors leaked: %q", diff)
		}
	})
	return r
}

// funcs is a reactor.Handler (and WriteNotifier) made of optional funcs.
type funcs struct {
	open    func(*reactor.Conn)
	data    func(*reactor.Conn, []byte)
	eof     func(*reactor.Conn)
	close   func(*reactor.Conn, error)
	blocked func(*reactor.Conn)
	drained func(*reactor.Conn)
}

func (f *funcs) OnOpen(c *reactor.Conn) {
	if f.open != nil {
		f.open(c)
	}
}

func (f *funcs) OnData(c *reactor.Conn, b []byte) {
	if f.data != nil {
		f.data(c, b)
	}
}

func (f *funcs) OnEOF(c *reactor.Conn) {
	if f.eof != nil {
		f.eof(c)
		return
	}
	_ = c.Close()
}

func (f *funcs) OnClose(c *reactor.Conn, err error) {
	if f.close != nil {
		f.close(c, err)
	}
}

func (f *funcs) OnWriteBlocked(c *reactor.Conn) {
	if f.blocked != nil {
		f.blocked(c)
	}
}

func (f *funcs) OnWriteDrained(c *reactor.Conn) {
	if f.drained != nil {
		f.drained(c)
	}
}

// reactorListen listens on 127.0.0.1 with an ephemeral port.
func reactorListen(t *testing.T, r *reactor.Reactor, h reactor.Handler) *reactor.Listener {
	t.Helper()
	ln, err := r.Listen(testCtx(t), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// stdDial connects a standard client whose I/O is bounded by testTimeout.
func stdDial(t *testing.T, addr net.Addr) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr.String(), testTimeout)
	if err != nil {
		t.Fatalf("dial %v: %v", addr, err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// facadeListen listens with the blocking facade on r.
func facadeListen(t *testing.T, r *reactor.Reactor) *usocket.Listener {
	t.Helper()
	lc := usocket.ListenConfig{Reactor: r}
	ln, err := lc.Listen(testCtx(t), "127.0.0.1", usocket.AutoPort)
	if err != nil {
		t.Fatalf("usocket Listen: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// acceptedPair returns a standard peer and the facade Conn that accepted
// it, on r. The Conn's I/O is bounded by testTimeout.
func acceptedPair(t *testing.T, r *reactor.Reactor) (*net.TCPConn, *usocket.Conn) {
	t.Helper()
	ln := facadeListen(t, r)
	peer := stdDial(t, ln.Addr())
	c, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatalf("AcceptConn: %v", err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return peer, c
}

// dialledPair returns a facade Conn dialled on r and the standard peer that
// accepted it.
func dialledPair(t *testing.T, r *reactor.Reactor) (*usocket.Conn, *net.TCPConn) {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(testCtx(t), "tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := usocket.Dialer{Reactor: r}
	c, err := d.Connect(testCtx(t), "127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	_ = nc.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = nc.Close() })
	return c, nc.(*net.TCPConn)
}

// resetConn closes c with an RST (SO_LINGER 0), as a crashing peer does.
func resetConn(t *testing.T, c *net.TCPConn) {
	t.Helper()
	if err := c.SetLinger(0); err != nil {
		t.Fatalf("SetLinger(0): %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
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

// isReset reports whether err is a reset (ECONNRESET) or, when pipeOK, a
// broken pipe (EPIPE): what a peer's RST gives a reader and a writer.
func isReset(err error, pipeOK bool) bool {
	return errors.Is(err, syscall.ECONNRESET) || (pipeOK && errors.Is(err, syscall.EPIPE))
}

// checkFacadeReset checks the facade's shape for a connection broken by
// the peer: a *net.OpError around an *usocket.Error whose kind is
// ErrConnectionReset with ECONNRESET (or, when pipeOK, ErrConnectionAborted
// with EPIPE), not a timeout.
func checkFacadeReset(t *testing.T, what string, err error, pipeOK bool) {
	t.Helper()
	var oe *net.OpError
	var ue *usocket.Error
	switch {
	case err == nil:
		t.Fatalf("%s: no error, want a reset", what)
	case !errors.As(err, &oe) || !errors.As(err, &ue):
		t.Fatalf("%s: %v (%T), want *net.OpError around *usocket.Error", what, err, err)
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.Fatalf("%s: %v, a timeout: the reset was not noticed", what, err)
	case errors.Is(err, usocket.ErrConnectionReset) && errors.Is(err, syscall.ECONNRESET):
	case pipeOK && errors.Is(err, usocket.ErrConnectionAborted) && errors.Is(err, syscall.EPIPE):
	default:
		t.Fatalf("%s: %v, want ErrConnectionReset/ECONNRESET (or ErrConnectionAborted/EPIPE: %v)", what, err, pipeOK)
	}
	if !errors.Is(err, usocket.ErrSocket) {
		t.Errorf("%s: %v does not match the umbrella ErrSocket", what, err)
	}
}

// checkTimeout checks the facade's deadline error shape.
func checkTimeout(t *testing.T, what string, err error) {
	t.Helper()
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) ||
		!errors.Is(err, usocket.ErrDeadlineTimeout) {
		t.Fatalf("%s: %v, want a deadline timeout (net.Error Timeout, os.ErrDeadlineExceeded, ErrDeadlineTimeout)", what, err)
	}
}

// heapInUse returns the heap in use after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// stream is an endless, position-dependent byte stream: byte i is
// table[i mod len(table)], with a table length that divides no power of two,
// so a lost, repeated or reordered chunk shows.
type stream struct{ table []byte }

func newStream(seed uint64) *stream {
	const size = 1<<20 - 3
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t := make([]byte, size)
	for i := 0; i < size; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8 && i+j < size; j++ {
			t[i+j] = byte(v >> (8 * j))
		}
	}
	return &stream{table: t}
}

// fill puts the bytes at stream offsets [off, off+len(b)) into b.
func (s *stream) fill(b []byte, off int64) {
	for len(b) > 0 {
		i := int(off % int64(len(s.table)))
		n := copy(b, s.table[i:])
		b, off = b[n:], off+int64(n)
	}
}

// bytes returns the n bytes from offset off.
func (s *stream) bytes(off int64, n int) []byte {
	b := make([]byte, n)
	s.fill(b, off)
	return b
}

// mismatch returns the stream offset of the first byte of b (which starts
// at offset off) that is wrong, or -1.
func (s *stream) mismatch(b []byte, off int64) int64 {
	for len(b) > 0 {
		i := int(off % int64(len(s.table)))
		n := min(len(b), len(s.table)-i)
		if want := s.table[i : i+n]; !bytes.Equal(b[:n], want) {
			for k := range n {
				if b[k] != want[k] {
					return off + int64(k)
				}
			}
		}
		b, off = b[n:], off+int64(n)
	}
	return -1
}
