//go:build unix

package reactor

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestAbortCutsGracefulCloseShort: Abort after Close ends a graceful close
// that would otherwise wait for the peer's FIN until the linger time.
func TestAbortCutsGracefulCloseShort(t *testing.T) {
	r, _ := newTestReactor(t, WithLinger(time.Hour))
	aborted := make(chan error, 1)
	closed := make(chan error, 1)
	h := &funcs{
		data: func(c *Conn, b []byte) {
			if err := c.Close(); err != nil {
				aborted <- err
				return
			}
			aborted <- c.Abort()
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	p := dial(t, ln.Addr()) // never closes its side
	if _, err := p.Write([]byte("close, then abort")); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, aborted, "Close then Abort"); err != nil {
		t.Fatalf("Abort after Close = %v, want nil: it must cut the graceful close short", err)
	}
	if err := recv(t, closed, "OnClose after Abort"); err != nil {
		t.Fatalf("OnClose(%v) after Abort, want nil", err)
	}
}

// TestUseAfterCloseFails: once Close or Abort was called, Execute and
// AfterFunc return ErrClosed; a function queued by Execute before the
// connection ended does not run after OnClose; a second Abort fails.
func TestUseAfterCloseFails(t *testing.T) {
	r, _ := newTestReactor(t)
	type results struct{ queued, abort, again, exec, after error }
	res := make(chan results, 1)
	ran := make(chan string, 4)
	closed := make(chan error, 1)
	h := &funcs{
		data: func(c *Conn, b []byte) {
			var x results
			x.queued = c.Execute(func() { ran <- "a function queued before the close" })
			x.abort = c.Abort() // acted on when this callback returns, before the queued function
			x.again = c.Abort()
			x.exec = c.Execute(func() { ran <- "Execute after Abort" })
			_, x.after = c.AfterFunc(time.Millisecond, func() { ran <- "AfterFunc after Abort" })
			res <- x
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	p := dial(t, ln.Addr())
	if _, err := p.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	x := recv(t, res, "OnData")
	if x.queued != nil || x.abort != nil {
		t.Fatalf("Execute, Abort on an open conn = %v, %v", x.queued, x.abort)
	}
	for what, err := range map[string]error{"second Abort": x.again, "Execute after Abort": x.exec, "AfterFunc after Abort": x.after} {
		if !isClosedErr(err) {
			t.Errorf("%s = %v, want ErrClosed", what, err)
		}
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
	syncLoops(t, r)
	select {
	case s := <-ran:
		t.Fatalf("%s ran after OnClose", s)
	default:
	}
	if _, err := io.ReadAll(p); err == nil {
		t.Log("peer saw EOF") // a reset is expected, either is fine here
	}
}

// syncLoops waits until every loop has run the tasks queued before it.
func syncLoops(t *testing.T, r *Reactor) {
	t.Helper()
	for _, l := range r.loops {
		done := make(chan struct{})
		if err := l.run(func(any) error { close(done); return nil }, nil); err != nil {
			t.Fatal(err)
		}
		recv(t, done, "loop sync")
	}
}

// TestConnTimersStopAtClose: a connection's AfterFunc timers are stopped
// when it closes, so they neither run after OnClose nor stay in the heap.
func TestConnTimersStopAtClose(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 1)
	closed := make(chan error, 1)
	h := &funcs{
		open:  func(c *Conn) { opened <- c },
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	c := recv(t, opened, "OnOpen")
	tm, err := c.AfterFunc(time.Hour, func() { t.Error("timer of a closed conn ran") })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Abort(); err != nil {
		t.Fatal(err)
	}
	recv(t, closed, "OnClose")
	inHeap := make(chan bool, 1)
	if err := r.loops[0].run(func(any) error { inHeap <- tm.index >= 0; return nil }, nil); err != nil {
		t.Fatal(err)
	}
	if recv(t, inHeap, "heap check") {
		t.Fatal("the closed connection's timer is still armed")
	}
}

// TestPanicInErrorHookIsRecovered: the error hook is user code too; its
// panic must not kill the loop goroutine (and the process).
func TestPanicInErrorHookIsRecovered(t *testing.T) {
	r, err := New(WithLoops(1), WithErrorHook(func(error) { panic("in the error hook") }))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	closed := make(chan error, 2)
	h := echo()
	h.data = func(c *Conn, b []byte) {
		if string(b) == "panic" {
			panic(errBoom) // reported to the hook, which panics in turn
		}
		echoData(c, b)
	}
	h.close = func(c *Conn, err error) { closed <- err }
	ln := listen(t, r, h)
	p := dial(t, ln.Addr())
	if _, err := p.Write([]byte("panic")); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closed, "OnClose of the panicking conn"); !errors.Is(err, errBoom) {
		t.Fatalf("OnClose(%v), want the *PanicError", err)
	}
	echoRoundTrip(t, dial(t, ln.Addr()), "the loop survived")
}

// waitCtx is a context that closes waited the first time Done is called:
// Shutdown consults its context only when it waits for connections.
type waitCtx struct {
	context.Context
	once   sync.Once
	waited chan struct{}
}

func (c *waitCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waited) })
	return c.Context.Done()
}

// TestShutdownClosesUnregisteredConnGracefully: a connection attached (or
// accepted) but not yet registered on its loop when Shutdown begins is
// waited for and closed gracefully, not dropped with ErrClosed.
func TestShutdownClosesUnregisteredConnGracefully(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	// Block the loop; it is let go once Shutdown waits for connections (or,
	// if Shutdown does not wait, after a bound).
	ctx := &waitCtx{Context: testContext(t), waited: make(chan struct{})}
	blocked := make(chan struct{})
	if err := r.loops[0].run(func(any) error {
		close(blocked)
		select {
		case <-ctx.waited:
		case <-time.After(testTimeout / 4):
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	recv(t, blocked, "blocked loop")

	sl, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	nc, err := net.DialTimeout("tcp4", sl.Addr().String(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	peer, err := sl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	_ = peer.SetDeadline(time.Now().Add(testTimeout))
	closed := make(chan error, 1)
	h := &funcs{
		open:  func(c *Conn) { _, _ = c.Write([]byte("goodbye")) },
		close: func(c *Conn, err error) { closed <- err },
	}
	if _, err := r.Attach(nc, h); err != nil {
		t.Fatal(err)
	}
	shut := make(chan error, 1)
	go func() { shut <- r.Shutdown(ctx) }()

	b, err := io.ReadAll(peer)
	if err != nil || string(b) != "goodbye" {
		t.Fatalf("peer read %q, %v; want the greeting, then EOF", b, err)
	}
	_ = peer.Close()
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil: Shutdown must close a just-attached conn gracefully", err)
	}
	if err := recv(t, shut, "Shutdown"); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
}

// TestWatcherExecuteAfterClose: a Watcher is like a Conn: Execute after
// Close returns ErrClosed, and a function queued before the close does not
// run after OnClose.
func TestWatcherExecuteAfterClose(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	fd, _ := socketPair(t)
	closed := make(chan error, 1)
	ran := make(chan struct{}, 2)
	w, err := r.Watch(fd, &fdFuncs{close: func(_ *Watcher, err error) { closed <- err }})
	if watchRefused(t, err, fd) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan [2]error, 1)
	if err := w.Execute(func() {
		// On the loop: queue a function, then close; the close runs first.
		queued := w.Execute(func() { ran <- struct{}{} })
		w.closeNow(nil)
		results <- [2]error{queued, w.Execute(func() { ran <- struct{}{} })}
	}); err != nil {
		t.Fatal(err)
	}
	res := recv(t, results, "the closing function")
	if res[0] != nil {
		t.Fatalf("Execute on an open watcher = %v", res[0])
	}
	if !isClosedErr(res[1]) {
		t.Fatalf("Execute after the watcher closed = %v, want ErrClosed", res[1])
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
	syncLoops(t, r)
	select {
	case <-ran:
		t.Fatal("a function queued before the close ran after OnClose")
	default:
	}
}
