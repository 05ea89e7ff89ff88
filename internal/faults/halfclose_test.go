package faults

import (
	"errors"
	"io"
	"syscall"
	"testing"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

// A peer that half-closes (CloseWrite: a FIN) is done sending but still
// reading: we must see EOF, stay writable, and the peer must get our reply.

// TestReactorPeerHalfClose: the reply is written after OnEOF from another
// goroutine, as a handler that hands the request to a worker would.
func TestReactorPeerHalfClose(t *testing.T) {
	r := newReactor(t)
	var req []byte // loop-owned
	closed := make(chan error, 1)
	h := &funcs{
		data: func(c *reactor.Conn, b []byte) { req = append(req, b...) },
		eof: func(c *reactor.Conn) {
			reply := append([]byte("reply to "), req...)
			go func() {
				_, _ = c.Write(reply)
				_ = c.Close()
			}()
		},
		close: func(c *reactor.Conn, err error) { closed <- err },
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	if _, err := peer.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	if err := peer.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(peer)
	if err != nil || string(got) != "reply to request" {
		t.Fatalf("peer read %q, %v; want the reply, then EOF", got, err)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil after a graceful close", err)
	}
}

// TestFacadePeerHalfClose: the accepted Conn reads the request to a bare
// io.EOF (twice), then writes its reply and closes; the peer reads it all.
func TestFacadePeerHalfClose(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(5)
	req := src.bytes(0, 300<<10) // more than the read buffer limit
	go func() {
		_, _ = peer.Write(req)
		_ = peer.CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || len(got) != len(req) || src.mismatch(got, 0) >= 0 {
		t.Fatalf("read %d of %d bytes, %v", len(got), len(req), err)
	}
	if n, err := c.Read(make([]byte, 8)); n != 0 || err != io.EOF { //nolint:errorlint // bare io.EOF by contract
		t.Fatalf("Read after EOF = %d, %v; want 0, io.EOF", n, err)
	}
	reply := src.bytes(1<<20, 2<<20)
	if n, err := c.Write(reply); n != len(reply) || err != nil {
		t.Fatalf("Write after the peer's FIN = %d, %v", n, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(peer)
	if err != nil || len(back) != len(reply) || src.mismatch(back, 1<<20) >= 0 {
		t.Fatalf("peer read %d of %d reply bytes, %v", len(back), len(reply), err)
	}
}

// TestFacadeOwnHalfClose: the facade half-closes; the peer reads EOF and
// answers; the facade reads the answer, and its Writes fail with a typed
// broken pipe.
func TestFacadeOwnHalfClose(t *testing.T) {
	r := newReactor(t)
	c, peer := dialledPair(t, r)
	if _, err := c.Write([]byte("question")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Write([]byte("more"))
	if !errors.Is(err, usocket.ErrConnectionAborted) || !errors.Is(err, syscall.EPIPE) {
		t.Errorf("Write after CloseWrite = %v, want ErrConnectionAborted wrapping EPIPE", err)
	}
	q, err := io.ReadAll(peer)
	if err != nil || string(q) != "question" {
		t.Fatalf("peer read %q, %v", q, err)
	}
	if _, err := peer.Write([]byte("answer")); err != nil {
		t.Fatal(err)
	}
	if err := peer.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := io.ReadAll(c)
	if err != nil || string(a) != "answer" {
		t.Fatalf("read %q, %v; want the answer, then EOF", a, err)
	}
}
