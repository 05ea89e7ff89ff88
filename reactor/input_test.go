//go:build unix

package reactor

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"
)

func TestNewRejectsBadOptions(t *testing.T) {
	bad := map[string]Option{
		"negative loops":       WithLoops(-1),
		"too many loops":       WithLoops(5000),
		"negative read buffer": WithReadBufferSize(-1),
		"negative high water":  WithWriteWaterMarks(-1, 0),
		"negative low water":   WithWriteWaterMarks(0, -1),
		"negative linger":      WithLinger(-1),
		"negative idle":        WithIdleTimeout(-1),
		"bad options struct":   WithOptions(Options{Loops: -3}),
	}
	for name, opt := range bad {
		r, err := New(opt)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Name == "" || r != nil {
			if r != nil {
				_ = r.Close()
			}
			t.Errorf("New(%s) = %v, %v; want nil and an *OptionError", name, r, err)
		}
	}
	// A nil Option is ignored, not a panic.
	r, err := New(nil, WithLoops(1), WithErrorHook(func(error) {}))
	if err != nil {
		t.Fatalf("New with a nil option: %v", err)
	}
	if r.Loops() != 1 {
		t.Errorf("Loops() = %d, want 1", r.Loops())
	}
	_ = r.Close()
}

func TestBadInputGetsTypedErrors(t *testing.T) {
	r, _ := newTestReactor(t)
	ctx := testContext(t)
	opened := make(chan *Conn, 1)
	h := echo()
	h.open = func(c *Conn) { opened <- c }
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	c := recv(t, opened, "OnOpen")

	if _, err := r.Listen(ctx, "tcp4", "127.0.0.1:0", nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("Listen(nil handler) = %v, want ErrNilHandler", err)
	}
	if _, err := r.Dial(ctx, "tcp4", ln.Addr().String(), nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("Dial(nil handler) = %v, want ErrNilHandler", err)
	}
	if _, err := r.Watch(0, nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("Watch(nil handler) = %v, want ErrNilHandler", err)
	}
	if _, err := r.Watch(-1, &fdFuncs{}); !netUnsupported(t, err) && !errors.Is(err, syscall.EBADF) {
		t.Errorf("Watch(-1) = %v, want EBADF", err)
	}
	if _, err := r.Attach(nil, h); !errors.Is(err, ErrNotSocket) {
		t.Errorf("Attach(nil) = %v, want ErrNotSocket", err)
	}
	p1, p2 := net.Pipe()
	defer p2.Close()
	if _, err := r.Attach(p1, h); !errors.Is(err, ErrNotSocket) {
		t.Errorf("Attach(net.Pipe) = %v, want ErrNotSocket", err)
	}
	nc := dial(t, ln.Addr())
	if _, err := r.Attach(nc, nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("Attach(nil handler) = %v, want ErrNilHandler", err)
	}
	if _, err := nc.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Attach with a nil handler left nc open (write: %v)", err)
	}
	var oe *OptionError
	if _, err := r.Listen(ctx, "tcp4", "127.0.0.1:0", h, WithBacklog(-1)); !errors.As(err, &oe) {
		t.Errorf("Listen(backlog -1) = %v, want *OptionError", err)
	}
	if l, err := r.Listen(ctx, "tcp4", "127.0.0.1:0", h, nil); err != nil {
		t.Errorf("Listen with a nil ListenOption: %v", err)
	} else {
		_ = l.Close()
	}
	for _, tc := range []struct{ network, address string }{
		{"udp", "127.0.0.1:0"},
		{"tcp4", "127.0.0.1:99999"},
		{"tcp4", "no such host.invalid:0"},
		{"tcp4", ln.Addr().String()}, // in use
	} {
		l, err := r.Listen(ctx, tc.network, tc.address, h)
		if err == nil {
			_ = l.Close()
			t.Errorf("Listen(%s, %s) succeeded", tc.network, tc.address)
		}
	}
	if _, err := r.Listen(ctx, "tcp4", ln.Addr().String(), h); !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("Listen on a port in use = %v, want EADDRINUSE", err)
	}
	if _, err := c.AfterFunc(0, nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("AfterFunc(nil) = %v, want ErrNilHandler", err)
	}
	if err := c.Execute(nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("Execute(nil) = %v, want ErrNilHandler", err)
	}
	if n, err := c.Write(nil); n != 0 || err != nil {
		t.Errorf("Write(nil) = %d, %v; want 0, nil", n, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); !isClosedErr(err) {
		t.Errorf("second Close = %v, want net.ErrClosed", err)
	}
	if _, err := c.Write([]byte("x")); !isClosedErr(err) {
		t.Errorf("Write after Close = %v, want net.ErrClosed", err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Dial(cancelled, "tcp4", ln.Addr().String(), h); !errors.Is(err, context.Canceled) {
		t.Errorf("Dial with a cancelled ctx = %v, want context.Canceled", err)
	}
}
