//go:build unix

package udp

import (
	"errors"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
)

const hardTimeout = 10 * time.Second

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	testkit.WaitFor(t, ch, what, hardTimeout)
}

// TestConcurrentReceiveNoLostWakeup (issue 12 #3, udp path): two Receives
// wait; two datagrams arrive together. The second Receive found the queue
// empty before they came and announces that it waits only after the first
// took its datagram; it must still get the other one.
func TestConcurrentReceiveNoLostWakeup(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	cl := dial(t, srv.LocalAddrPort())
	first, second, gate := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var n atomic.Int32
	setHook(func(op string) {
		if op != "receive" {
			return
		}
		switch n.Add(1) {
		case 1:
			close(first)
		case 2:
			close(second)
			<-gate
		}
	})
	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { release(); testHookAfterEAGAIN.Store(nil) })
	if err := srv.SetReadTimeout(hardTimeout); err != nil {
		t.Fatal(err)
	}
	results := make(chan error, 2)
	recv := func() {
		_, _, _, err := srv.Receive(make([]byte, 8))
		results <- err
	}
	go recv()
	waitFor(t, first, "the first Receive to find the queue empty")
	go recv()
	waitFor(t, second, "the second Receive to find the queue empty")
	for _, m := range []string{"a", "b"} {
		if _, err := cl.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-results; err != nil {
		t.Fatalf("first Receive: %v", err)
	}
	release()
	if err := <-results; err != nil {
		t.Fatalf("second Receive: %v (a lost wake-up)", err)
	}
}

// TestCloseIsSynchronous (issue 12 #6): with no call in flight, Close has
// closed the descriptor when it returns, also right after Dial or Listen.
func TestCloseIsSynchronous(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	for i := range 200 {
		c, err := Dial(testCtx(t), "127.0.0.1", int(srv.LocalAddrPort().Port()))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := c.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
		}
		fd := osFD(t, c.fd.Sysfd)
		ino := testkit.Inode(t, fd)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if testkit.StillOpen(fd, ino) {
			t.Fatalf("round %d: Close returned with the descriptor open", i)
		}
	}
}

// TestCloseFromCallback (issue 12 #7): Close called on the socket's own
// event loop, from another watcher's callback and from the socket's own
// Responder, returns instead of waiting for that loop.
func TestCloseFromCallback(t *testing.T) {
	r, c := listenOwnLoop(t)
	fd := osFD(t, c.fd.Sysfd)
	ino := testkit.Inode(t, fd)
	done := make(chan error, 1)
	if err := c.w.Execute(func() { done <- c.Close() }); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hardTimeout):
		t.Fatal("Close called on the loop did not return: it waits for its own loop")
	}
	if testkit.StillOpen(fd, ino) {
		t.Error("descriptor still open after Close on the loop returned")
	}

	// From the socket's own Responder: the close happens as it returns.
	var self atomic.Pointer[Conn]
	closed := make(chan error, 1)
	cfg := Config{Reactor: r}
	cfg.Responder = func([]byte, netip.AddrPort) []byte {
		if s := self.Swap(nil); s != nil {
			closed <- s.Close()
		}
		return nil
	}
	s, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	self.Store(s)
	cl := dial(t, s.LocalAddrPort())
	if _, err := cl.Write([]byte("close yourself")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hardTimeout):
		t.Fatal("Close called from the socket's Responder did not return")
	}
	select {
	case <-s.fd.Gone():
	case <-time.After(hardTimeout):
		t.Fatal("socket closed from its Responder never closed its descriptor")
	}
}

// TestEveryMethodAfterClose (issue 13 #4): every method of a closed Conn
// that can fail returns net.ErrClosed inside a *net.OpError.
func TestEveryMethodAfterClose(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	c := dial(t, srv.LocalAddrPort())
	u, err := Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	_ = u.Close()
	val := func(_ any, err error) error { return err }
	b := []byte("x")
	to := srv.LocalAddrPort()
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"Read", val(c.Read(b))},
		{"Write", val(c.Write(b))},
		{"Receive", func() error { _, _, _, err := u.Receive(b); return err }()},
		{"ReadFrom", func() error { _, _, err := u.ReadFrom(b); return err }()},
		{"Send", val(u.Send(b, to))},
		{"WriteTo", val(u.WriteTo(b, net.UDPAddrFromAddrPort(to)))},
		{"Close", c.Close()},
		{"SetDeadline", c.SetDeadline(time.Time{})},
		{"SetReadDeadline", c.SetReadDeadline(time.Time{})},
		{"SetWriteDeadline", c.SetWriteDeadline(time.Time{})},
		{"SetReadTimeout", c.SetReadTimeout(time.Second)},
		{"SetBroadcast", c.SetBroadcast(true)},
		{"Broadcast", val(c.Broadcast())},
		{"SetReadBuffer", c.SetReadBuffer(4096)},
		{"SetWriteBuffer", c.SetWriteBuffer(4096)},
		{"Control", c.Control(func(uintptr) {})},
	} {
		var oe *net.OpError
		if !errors.As(tt.err, &oe) || !errors.Is(tt.err, net.ErrClosed) {
			t.Errorf("%s after Close = %v, want *net.OpError wrapping net.ErrClosed", tt.name, tt.err)
		}
	}
}

// TestDroppedConnIsClosed (issue 12 #8): a Conn dropped without Close is
// collected and its descriptor closed: the event loop does not keep it.
func TestDroppedConnIsClosed(t *testing.T) {
	c, err := Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	fd := osFD(t, c.fd.Sysfd)
	ino := testkit.Inode(t, fd)
	c = nil
	deadline := time.Now().Add(hardTimeout)
	for testkit.StillOpen(fd, ino) {
		if time.Now().After(deadline) {
			t.Fatal("descriptor of a dropped Conn still open: nothing collected it")
		}
		runtime.GC()
		runtime.Gosched()
	}
}

// setHook installs f as testHookAfterEAGAIN.
func setHook(f func(op string)) { testHookAfterEAGAIN.Store(&f) }
