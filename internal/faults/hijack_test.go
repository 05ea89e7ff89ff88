package faults

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/udp"
	"github.com/usocket-go/usocket/usocket"
)

// UDP hijack: a datagram server's port must not be open to a second bind,
// even by a socket that asks for SO_REUSEADDR and SO_REUSEPORT, as another
// local user's would. (A different user cannot be made in a test; the
// kernel refuses SO_REUSEPORT across users anyway, and SO_REUSEADDR needs
// both sockets to set it, which the server no longer does.)

func TestUDPHijackRefusedByDefault(t *testing.T) {
	r := newReactor(t)
	s, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: handler.EchoDatagram, Reactor: r}).Start(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(); recv(t, s.Done(), "the server's end") })
	port := int(s.AddrPort().Port())
	for _, thief := range []udp.Config{
		{Reactor: r},
		{Reactor: r, ReuseAddress: true},
		{Reactor: r, ReusePort: true},
		{Reactor: r, ReuseAddress: true, ReusePort: true},
	} {
		c, err := thief.Listen(context.Background(), "127.0.0.1", port)
		if err == nil {
			_ = c.Close()
			t.Fatalf("a socket with %+v bound the server's port", thief)
		}
		if !errors.Is(err, usocket.ErrAddressInUse) || !errors.Is(err, syscall.EADDRINUSE) {
			t.Fatalf("bind with %+v: %v, want EADDRINUSE", thief, err)
		}
	}
	// Asked for, SO_REUSEPORT shares a port among the program's sockets.
	first, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: handler.EchoDatagram, Reactor: r, ReusePort: true}).Start(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = first.Close(); recv(t, first.Done(), "the server's end") })
	share := udp.Config{Reactor: r, ReusePort: true}
	c, err := share.Listen(context.Background(), "127.0.0.1", int(first.AddrPort().Port()))
	if err != nil {
		t.Fatalf("ReusePort on both: %v", err)
	}
	_ = c.Close()
}
