package handler

import (
	"context"
	"io"
	"net/netip"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/usocket"
)

// copyBufSize is the buffer EchoStream copies through.
const copyBufSize = 16 << 10

// EchoStream is a StreamHandler that writes back everything it reads until
// the client shuts down its side (EOF); the server then flushes and closes
// the connection, so a client that half-closes gets its whole echo. It
// returns the read or write error, if any, and ctx is not consulted: a
// forced stop closes the connection, which ends the copy.
func EchoStream(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
	p := bufpool.Get(copyBufSize)
	defer bufpool.Put(p)
	_, err := io.CopyBuffer(onlyWriter{c}, onlyReader{c}, (*p)[:cap(*p)])
	return err
}

// DiscardStream is a StreamHandler that reads and drops everything until
// the client shuts down its side; for benchmarks and as a sink.
func DiscardStream(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
	p := bufpool.Get(copyBufSize)
	defer bufpool.Put(p)
	_, err := io.CopyBuffer(io.Discard, onlyReader{c}, (*p)[:cap(*p)])
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

// onlyReader and onlyWriter hide any ReaderFrom/WriterTo, so io.CopyBuffer
// uses the pooled buffer.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(b []byte) (int, error) { return o.r.Read(b) }

type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(b []byte) (int, error) { return o.w.Write(b) }
