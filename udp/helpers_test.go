package udp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
)

// testCtx returns a context bounding one test's blocking steps.
func testCtx(t *testing.T) context.Context {
	return testkit.Context(t, 20*time.Second)
}

// listen opens an unconnected socket on host:0, closed with the test.
func listen(t *testing.T, host string) *Conn {
	t.Helper()
	c, err := Listen(testCtx(t), host, 0)
	if err != nil {
		t.Fatalf("Listen(%q): %v", host, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// listenOwnLoop listens on 127.0.0.1 with a one-loop reactor of its own;
// the socket and the reactor close when the test ends.
func listenOwnLoop(t *testing.T) (*reactor.Reactor, *Conn) {
	t.Helper()
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	cfg := Config{Reactor: r}
	c, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return r, c
}

// dial opens a socket connected to ap, closed with the test.
func dial(t *testing.T, ap netip.AddrPort) *Conn {
	t.Helper()
	c, err := Dial(testCtx(t), ap.Addr().String(), int(ap.Port()))
	if err != nil {
		t.Fatalf("Dial(%v): %v", ap, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// serveEcho echoes every datagram back to its sender until s is closed;
// test cleanup closes s and waits for the echo goroutine.
func serveEcho(t *testing.T, s *Conn) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, MaxDatagramSize+1)
		for {
			n, _, from, err := s.Receive(buf)
			if err != nil {
				return
			}
			if _, err := s.Send(buf[:n], from); err != nil && !errors.Is(err, net.ErrClosed) {
				t.Errorf("echo Send: %v", err)
			}
		}
	}()
	t.Cleanup(func() {
		_ = s.Close()
		<-done
	})
}

// loopback returns the loopback address of the family.
func loopback(v6 bool) string {
	if v6 {
		return "::1"
	}
	return "127.0.0.1"
}

// pattern returns n bytes that depend on seed and position.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) + seed
	}
	return b
}

// deadlineIn sets c's read and write deadlines d from now.
func deadlineIn(t *testing.T, c *Conn, d time.Duration) {
	t.Helper()
	if err := c.SetDeadline(time.Now().Add(d)); err != nil {
		t.Fatalf("SetDeadline: %v", err)
	}
}

// checkOpError asserts the standard error shape and that err matches each
// target.
func checkOpError(t *testing.T, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want one matching %v", targets)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) {
		t.Errorf("error %v (%T) is not a *net.OpError", err, err)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Errorf("error %v does not match %v", err, target)
		}
	}
}

// checkTimeout asserts a deadline error's full shape.
func checkTimeout(t *testing.T, err error) {
	t.Helper()
	checkOpError(t, err, os.ErrDeadlineExceeded)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v: not a net.Error with Timeout()", err)
	}
	if te, ok := err.(interface{ Temporary() bool }); !ok || !te.Temporary() {
		t.Errorf("error %v: Temporary() is not true", err)
	}
}
