package udp

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

func TestResponder(t *testing.T) {
	cfg := Config{Responder: func(req []byte, from netip.AddrPort) []byte {
		switch string(req) {
		case "silence":
			return nil
		case "big":
			return make([]byte, MaxDatagramSize+1)
		}
		return append([]byte("re:"), req...)
	}}
	srv, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cl := dial(t, srv.LocalAddrPort())
	deadlineIn(t, cl, 10*time.Second)
	buf := make([]byte, 64)
	// Dropped replies (nil, oversized) are followed by an answered one.
	for _, req := range []string{"silence", "big", "hello"} {
		if _, err := cl.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := cl.Read(buf)
	if err != nil || !bytes.Equal(buf[:n], []byte("re:hello")) {
		t.Fatalf("Read = %q, %v; want re:hello", buf[:n], err)
	}
	// A burst, so that replies go out in sendmmsg batches.
	const burst = 50
	for i := range burst {
		if _, err := cl.Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	var seen [burst]bool
	for range burst {
		n, err := cl.Read(buf)
		if err != nil || n != 4 || buf[3] >= burst || seen[buf[3]] {
			t.Fatalf("reply = %q, %v", buf[:n], err)
		}
		seen[buf[3]] = true
	}
	_, _, _, err = srv.Receive(buf)
	checkOpError(t, err, ErrResponderSocket)
}
