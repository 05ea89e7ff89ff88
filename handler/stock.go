package handler

import (
	"context"
	"io"
	"net/netip"

	"github.com/usocket-go/usocket/usocket"
)

// EchoStream is a StreamHandler that writes back everything it reads until
// the client shuts down its side (EOF); the server then flushes and closes
// the connection, so a client that half-closes gets its whole echo. It
// returns the read or write error, if any, and ctx is not consulted: a
// forced stop closes the connection, which ends the copy.
func EchoStream(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
	_, err := copyAdaptive(c, c)
	return err
}

// DiscardStream is a StreamHandler that reads and drops everything until
// the client shuts down its side; for benchmarks and as a sink.
func DiscardStream(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
	_, err := copyAdaptive(io.Discard, c)
	return err
}

// EchoDatagram is a DatagramHandler that sends every request back to its
// sender: usocket's default-udp-handler.
func EchoDatagram(_ context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
	return req, nil
}

// DiscardDatagram is a DatagramHandler that answers nothing.
func DiscardDatagram(context.Context, []byte, netip.AddrPort) ([]byte, error) {
	return nil, nil
}

var (
	_ StreamHandler   = EchoStream
	_ StreamHandler   = DiscardStream
	_ DatagramHandler = EchoDatagram
	_ DatagramHandler = DiscardDatagram
)
