package faults

import (
	"io"
	"testing"
	"time"
)

// TestFacadeAcceptResetClient: a client that resets right after connecting
// (possibly before Accept) is still handed out by Accept, and its Read
// reports a typed reset; the next client is served normally.
func TestFacadeAcceptResetClient(t *testing.T) {
	r := newReactor(t)
	ln := facadeListen(t, r)
	bad := stdDial(t, ln.Addr())
	if _, err := bad.Write([]byte("bye")); err != nil {
		t.Fatal(err)
	}
	resetConn(t, bad)
	c, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatalf("Accept after the client reset: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	got, err := io.ReadAll(c)
	checkFacadeReset(t, "Read from a client that reset", err, false)
	if len(got) > 3 || string(got) != "bye"[:len(got)] {
		t.Errorf("read %q before the reset", got)
	}

	good := stdDial(t, ln.Addr())
	c2, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	_ = c2.SetDeadline(time.Now().Add(testTimeout))
	if _, err := good.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2)
	if _, err := io.ReadFull(c2, buf); err != nil || string(buf) != "hi" {
		t.Fatalf("next client: %q, %v", buf, err)
	}
}
