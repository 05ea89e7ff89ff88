package reactortls

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// expectServed checks that the server still serves a good client.
func expectServed(t *testing.T, addr string) {
	t.Helper()
	c := dialTLS(t, addr, clientTLS())
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	if _, err := io.ReadFull(c, b); err != nil || string(b) != "ping" {
		t.Fatalf("echo %q, %v", b, err)
	}
}

// rawDial connects a plain TCP socket with a deadline.
func rawDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// expectClosedByServer reads until the server closes c.
func expectClosedByServer(t *testing.T, c net.Conn) {
	t.Helper()
	if _, err := io.Copy(io.Discard, c); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return // a reset is a close too
	} else if err != nil {
		t.Fatalf("server did not close: %v", err)
	}
}

// A server that requires client certificates refuses a client without
// one: the error hook gets a *HandshakeError with the peer's address, the
// handler hears nothing, and the server goes on serving.
func TestServerBadClientCertificate(t *testing.T) {
	rec := newRecorder()
	scfg := serverTLS()
	scfg.ClientAuth = tls.RequireAndVerifyClientCert
	addr, hook, _ := startServer(t, rec, &Config{TLS: scfg})
	raw := rawDial(t, addr)
	c := tls.Client(raw, clientTLS())
	_ = c.Handshake()              // TLS 1.3: the client learns of it on its first read
	_, _ = c.Read(make([]byte, 1)) // the server's alert
	err := hook.next(t)
	var he *HandshakeError
	if !errors.As(err, &he) || he.Peer.String() != raw.LocalAddr().String() {
		t.Fatalf("hook got %v, want a *HandshakeError from %v", err, raw.LocalAddr())
	}
	var ae tls.AlertError
	if !errors.As(err, &ae) && !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("hook got %v, want crypto/tls's certificate error", err)
	}
	expectClosedByServer(t, raw)
	select {
	case <-rec.opened:
		t.Fatal("OnOpen after a failed handshake")
	case err := <-rec.closed:
		t.Fatalf("OnClose(%v) for a connection never opened", err)
	default:
	}
}

// A client that sends nothing is closed after the handshake timeout, and
// reported with ErrHandshakeTimeout.
func TestHandshakeTimeout(t *testing.T) {
	addr, hook, _ := startServer(t, echo{}, &Config{TLS: serverTLS(), HandshakeTimeout: 100 * time.Millisecond})
	raw := rawDial(t, addr)
	err := hook.next(t)
	var he *HandshakeError
	if !errors.As(err, &he) || !errors.Is(err, ErrHandshakeTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("hook got %v, want a *HandshakeError with ErrHandshakeTimeout", err)
	}
	expectClosedByServer(t, raw)
	expectServed(t, addr)
}

// A peer that does not speak TLS: crypto/tls's RecordHeaderError, reported
// with the peer's address; the connection is closed.
func TestGarbageInsteadOfClientHello(t *testing.T) {
	addr, hook, _ := startServer(t, echo{}, &Config{TLS: serverTLS()})
	raw := rawDial(t, addr)
	if _, err := raw.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	err := hook.next(t)
	var rh tls.RecordHeaderError
	if !errors.As(err, &rh) {
		t.Fatalf("hook got %v, want a tls.RecordHeaderError", err)
	}
	expectClosedByServer(t, raw)
	expectServed(t, addr)
}

// handshakeGoroutines counts the goroutines running a handshake.
func handshakeGoroutines() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("reactortls.(*tlsConn).handshake("))
}

// A flood of connections that send a partial ClientHello and stall: at
// most MaxHandshakes run (each with a goroutine), the rest wait with
// none; all are ended by the timeout and the server serves again.
func TestHandshakeFlood(t *testing.T) {
	const slots, flood = 4, 100
	cfg := &Config{TLS: serverTLS(), MaxHandshakes: slots, HandshakeTimeout: 2 * time.Second}
	th, err := Server(echo{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{}, flood)
	testHookWaiting = func() { waiting <- struct{}{} }
	t.Cleanup(func() { testHookWaiting = nil }) // after the server's cleanup, which comes later
	addr, hook, _ := startServerHandler(t, th)
	lim := th.(*tlsHandler).s.lim
	partial := []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01} // a record header and a bit
	conns := make([]net.Conn, flood)
	for i := range conns {
		conns[i] = rawDial(t, addr)
		if _, err := conns[i].Write(partial); err != nil {
			t.Fatal(err)
		}
	}
	for range flood - slots {
		recv(t, waiting, "a connection waiting for a handshake slot")
	}
	if n := lim.waiters(); n != flood-slots {
		t.Fatalf("%d waiting, want %d", n, flood-slots)
	}
	if n := handshakeGoroutines(); n != slots {
		t.Fatalf("%d handshake goroutines for %d stalled peers, want %d", n, flood, slots)
	}
	for range flood {
		if err := hook.next(t); !errors.Is(err, ErrHandshakeTimeout) {
			t.Fatalf("hook got %v, want ErrHandshakeTimeout", err)
		}
	}
	for _, c := range conns {
		expectClosedByServer(t, c)
	}
	expectServed(t, addr)
}
