package reactor

import (
	"io"
	"net"
	"testing"
	"time"
)

// BenchmarkEchoPingPong sends 64 bytes and waits for their echo, one
// connection, one round trip per op: against the reactor's echo handler and
// against a goroutine-per-connection echo server on net.TCPConn. The
// client is the same standard net.Conn in both, so the difference in
// allocs/op is the server's.
func BenchmarkEchoPingPong(b *testing.B) {
	b.Run("reactor", func(b *testing.B) {
		r, err := New(WithLoops(1), WithErrorHook(func(err error) { b.Error(err) }))
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		ln, err := r.Listen(testContext(b), "tcp4", "127.0.0.1:0", echo())
		if err != nil {
			b.Fatal(err)
		}
		defer ln.Close()
		pingPong(b, ln.Addr())
	})
	b.Run("netconn", func(b *testing.B) {
		pingPong(b, stdEchoServer(b))
	})
}

func pingPong(b *testing.B, addr net.Addr) {
	c, err := net.DialTimeout("tcp", addr.String(), testTimeout)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	_ = c.(*net.TCPConn).SetNoDelay(true)
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	b.SetBytes(64)
	roundTrips(b, c, c)
}

// roundTrips writes 64 bytes to w and reads 64 back from r, b.N times.
func roundTrips(b *testing.B, w io.Writer, r io.Reader) {
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFromOtherGoroutine measures Conn.Write called off the
// loop, which must queue a task to wake the loop.
func BenchmarkWriteFromOtherGoroutine(b *testing.B) {
	sc, c := benchConn(b)
	roundTrips(b, sc, c)
}

// BenchmarkExecuteChain measures a chain of small tasks on the loop, each
// queueing the next with Execute: the cost of a task that the loop runs in
// the round that queued it (roundBudget's clock check included).
func BenchmarkExecuteChain(b *testing.B) {
	sc, _ := benchConn(b)
	done := make(chan struct{})
	left := b.N // loop-owned
	var step func()
	step = func() {
		if left--; left <= 0 {
			close(done)
			return
		}
		if err := sc.Execute(step); err != nil {
			b.Error(err)
			close(done)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := sc.Execute(step); err != nil {
		b.Fatal(err)
	}
	<-done
}

// benchConn starts a one-loop reactor whose connections do nothing, dials
// it, and returns the reactor's side and the client's; both end with b.
func benchConn(b *testing.B) (*Conn, net.Conn) {
	r, err := New(WithLoops(1), WithErrorHook(func(err error) { b.Error(err) }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close() })
	opened := make(chan *Conn, 1)
	h := &funcs{open: func(c *Conn) { opened <- c }}
	ln, err := r.Listen(testContext(b), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ln.Close() })
	c, err := net.DialTimeout("tcp", ln.Addr().String(), testTimeout)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	return <-opened, c
}
