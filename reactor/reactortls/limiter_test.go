package reactortls

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// closedConn returns a reactor connection that has closed (its Execute
// fails), accepted from a dial on loopback.
func closedConn(t *testing.T) *reactor.Conn {
	t.Helper()
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	opened, closed := make(chan *reactor.Conn, 1), make(chan struct{})
	h := &connFuncs{open: func(c *reactor.Conn) { opened <- c }, close: func() { close(closed) }}
	ln, err := r.Listen(context.Background(), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	nc, err := net.DialTimeout("tcp4", ln.Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var c *reactor.Conn
	select {
	case c = <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("no connection accepted")
	}
	_ = c.Abort()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("no OnClose")
	}
	return c
}

type connFuncs struct {
	reactor.BaseHandler
	open  func(*reactor.Conn)
	close func()
}

func (f *connFuncs) OnOpen(c *reactor.Conn)       { f.open(c) }
func (f *connFuncs) OnClose(*reactor.Conn, error) { f.close() }

// TestLimiterHandOnToClosedWaiter (issue 17): a slot handed to a waiter
// whose connection closed, and whose OnClose handed the slot on first,
// leaves the limiter unlocked. It was left locked, and the next handshake
// to end, or connection to close, waited for ever (seen as a hang of
// TestHandshakeFlood on the portable backend).
func TestLimiterHandOnToClosedWaiter(t *testing.T) {
	l := &limiter{free: 0}
	w := &tlsConn{c: closedConn(t), startFn: func() {}}
	if l.acquire(w) {
		t.Fatal("acquire with no free slot succeeded")
	}
	testHookExecuteFailed = func(w *tlsConn) { l.leave(w) } // its OnClose, first
	t.Cleanup(func() { testHookExecuteFailed = nil })
	running := &tlsConn{slot: slotRunning}
	l.release(running) // hands the slot to w, whose start cannot be queued
	if !l.mu.TryLock() {
		t.Fatal("the limiter is left locked after handing a slot to a closed waiter")
	}
	defer l.mu.Unlock()
	if w := l.waiting.Front(); l.free != 1 || w != nil {
		t.Fatalf("free = %d, first waiter %v; want the slot back in the pool and nobody waiting", l.free, w)
	}
}
