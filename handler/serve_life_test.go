package handler_test

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
)

// greeter writes a greeting of n bytes on open and waits for the peer.
type greeter struct {
	reactor.BaseHandler
	n int
}

func (g greeter) OnOpen(c *reactor.Conn) { _, _ = c.Write(make([]byte, g.n)) }

// Serve's server has the same life as the socket-servers': Shutdown
// flushes what is queued, then Done closes, Err says ErrServerClosed, and
// a second Shutdown or a Close returns ErrServerClosed.
func TestServeServerLife(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const n = 8 << 20
	s, err := handler.Serve(ctx, "tcp", "127.0.0.1:0", greeter{n: n}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Reactor() == nil || !s.AddrPort().IsValid() {
		t.Fatalf("Reactor %v, AddrPort %v", s.Reactor(), s.AddrPort())
	}
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil { // the greeting is queued
		t.Fatal(err)
	}
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(ctx) }()
	// The rest of the greeting still arrives, then EOF: a graceful close.
	got, err := io.ReadAll(c)
	if err != nil || len(got) != n-1 {
		t.Fatalf("read %d bytes after Shutdown began (err %v), want %d then EOF", len(got), err, n-1)
	}
	_ = c.Close()
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	select {
	case <-s.Done():
	case <-ctx.Done():
		t.Fatal("Done not closed after Shutdown")
	}
	if !errors.Is(s.Err(), handler.ErrServerClosed) {
		t.Fatalf("Err = %v, want ErrServerClosed", s.Err())
	}
	if err := s.Shutdown(ctx); !errors.Is(err, handler.ErrServerClosed) {
		t.Fatalf("second Shutdown = %v", err)
	}
	if err := s.Close(); !errors.Is(err, handler.ErrServerClosed) {
		t.Fatalf("Close after Shutdown = %v", err)
	}
	if _, err := net.DialTimeout("tcp", s.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after Shutdown")
	}
}
