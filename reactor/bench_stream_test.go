package reactor

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

// BenchmarkEchoStream pipelines 4 KiB messages through the reactor's echo
// handler on one connection, a writer and a reader running side by side:
// every op is one read, one Write and one flush on the loop, the path the
// memory budget's accounting sits on.
func BenchmarkEchoStream(b *testing.B) {
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
	c, err := net.DialTimeout("tcp", ln.Addr().String(), testTimeout)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	const size = 4 << 10
	msg := make([]byte, size)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 64<<10)
		var err error
		for left := int64(b.N) * size; left > 0 && err == nil; {
			var n int
			n, err = c.Read(buf[:min(int64(len(buf)), left)])
			left -= int64(n)
		}
		done <- err
	}()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWriteQueue is Conn.Write alone, without syscalls: the copy into
// the connection's buffer and the accounting of queued bytes (per
// connection and, with the memory limit, reactor-wide). A service pass is
// marked pending, so Write does not wake the loop; every 64 Writes the
// queue is emptied in place and accounted as service and flush account a
// take and a send.
func BenchmarkWriteQueue(b *testing.B) {
	r, err := New(WithLoops(1), WithErrorHook(func(err error) { b.Error(err) }))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	c := newConn(r.loops[0], -1, echo(), netip.AddrPort{})
	c.sched.Store(true)
	msg := make([]byte, 64)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if i%64 == 63 { // as flush accounts a send
			c.mu.Lock()
			n := len(*c.out)
			*c.out = (*c.out)[:0]
			c.mu.Unlock()
			c.loop.budgetAccount(int64(n)) // as service accounts a take
			c.queued.Add(int64(-n))
			c.budgetSent(n)
		}
	}
}
