package handler_test

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
)

// wait bounds every blocking step of a test.
const wait = 20 * time.Second

// hookChan returns an ErrorHook that collects errors, and their channel.
func hookChan() (func(error), chan error) {
	ch := make(chan error, 1024)
	return func(err error) {
		select {
		case ch <- err:
		default:
		}
	}, ch
}

// nextErr waits for the next hooked error.
func nextErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(wait):
		t.Fatal("no error reported to the hook")
		return nil
	}
}

// noErr fails if the hook got an error.
func noErr(t *testing.T, ch <-chan error) {
	t.Helper()
	select {
	case err := <-ch:
		t.Fatalf("unexpected hooked error: %v", err)
	default:
	}
}

// startStream starts sv on loopback, port 0, and closes it at cleanup,
// waiting for every handler to end.
func startStream(t *testing.T, sv *handler.StreamServer) *handler.Server {
	t.Helper()
	sv.Host = "127.0.0.1"
	return startService(t, sv.Start)
}

// startDatagram starts d on loopback, port 0, and closes it at cleanup,
// waiting for every handler to end.
func startDatagram(t *testing.T, d *handler.DatagramServer) *handler.Server {
	t.Helper()
	d.Host = "127.0.0.1"
	return startService(t, d.Start)
}

// startService runs a server's Start and closes the service at cleanup.
func startService(t *testing.T, start func(context.Context) (*handler.Server, error)) *handler.Server {
	t.Helper()
	s, err := start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeAndWait(t, s) })
	return s
}

// shutdownPending starts s.Shutdown (bounded by wait) in the background
// while handlers still run, and fails if it returned at once; the channel
// gets its result.
func shutdownPending(t *testing.T, s *handler.Server) <-chan error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(ctx) }()
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v while handlers run", err)
	default:
	}
	return shut
}

func closeAndWait(t *testing.T, s *handler.Server) {
	t.Helper()
	_ = s.Close()
	select {
	case <-s.Done():
	case <-time.After(wait):
		t.Fatal("service did not end after Close")
	}
}

// client is a line-oriented stdlib TCP (or unix) client with bounded calls.
type client struct {
	net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr net.Addr) *client {
	t.Helper()
	d := net.Dialer{Timeout: wait}
	c, err := d.Dial(addr.Network(), addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &client{Conn: c, r: bufio.NewReader(c)}
}

func (c *client) send(t *testing.T, s string) {
	t.Helper()
	_ = c.SetWriteDeadline(time.Now().Add(wait))
	if _, err := c.Write([]byte(s + "\n")); err != nil {
		t.Fatal(err)
	}
}

func (c *client) line(t *testing.T) string {
	t.Helper()
	l, err := c.tryLine()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return l
}

func (c *client) tryLine() (string, error) {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	l, err := c.r.ReadString('\n')
	return strings.TrimSuffix(l, "\n"), err
}

func (c *client) localPort() netip.AddrPort {
	return c.LocalAddr().(*net.TCPAddr).AddrPort()
}

func portOf(a net.Addr) int {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.Port
	case *net.UDPAddr:
		return a.Port
	}
	return 0
}
