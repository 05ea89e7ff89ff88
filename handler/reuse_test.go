package handler_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/usocket"
)

// TestDatagramPortNotSharedByDefault: a datagram server does not set
// SO_REUSEADDR unless asked, so a second socket (of any user) cannot bind
// its port and take its traffic (issue 13 #1).
func TestDatagramPortNotSharedByDefault(t *testing.T) {
	first := startDatagram(t, &handler.DatagramServer{Handler: handler.EchoDatagram})
	second := &handler.DatagramServer{Host: "127.0.0.1", Port: portOf(first.Addr()), Handler: handler.EchoDatagram}
	s, err := second.Start(context.Background())
	if err == nil {
		closeAndWait(t, s)
		t.Fatal("a second datagram server bound the same port")
	}
	if !errors.Is(err, usocket.ErrAddressInUse) || !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("second bind: %v, want EADDRINUSE", err)
	}
}

// TestDatagramReusePortShares: servers that all ask for SO_REUSEPORT share
// a port (the kernel allows it only within one effective uid).
func TestDatagramReusePortShares(t *testing.T) {
	first := startDatagram(t, &handler.DatagramServer{Handler: handler.EchoDatagram, ReusePort: true})
	startDatagram(t, &handler.DatagramServer{Port: portOf(first.Addr()), Handler: handler.EchoDatagram, ReusePort: true})
	// One that does not ask is still refused.
	third := &handler.DatagramServer{Host: "127.0.0.1", Port: portOf(first.Addr()), Handler: handler.EchoDatagram}
	if s, err := third.Start(context.Background()); err == nil {
		closeAndWait(t, s)
		t.Fatal("a server without ReusePort joined a shared port")
	} else if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("third bind: %v, want EADDRINUSE", err)
	}
}
