package faults

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// The facade's Close and Abort with a large queue: Close delivers every
// byte, Abort delivers an RST.

const closeSize = 64 << 20

// TestFacadeCloseDelivers64MiB: Write 64 MiB, Close; the peer reads exactly
// those bytes, then EOF.
func TestFacadeCloseDelivers64MiB(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(8)
	payload := src.bytes(0, closeSize)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Write(payload)
		if err == nil {
			err = c.Close()
		}
		errc <- err
	}()
	var off int64
	buf := make([]byte, 1<<20)
	for {
		n, err := peer.Read(buf)
		if m := src.mismatch(buf[:n], off); m >= 0 {
			t.Fatalf("byte %d wrong", m)
		}
		off += int64(n)
		if err == io.EOF { //nolint:errorlint // net.Conn reports the bare io.EOF
			break
		}
		if err != nil {
			t.Fatalf("peer read after %d bytes: %v", off, err)
		}
	}
	if off != closeSize {
		t.Fatalf("peer got %d bytes, want %d", off, closeSize)
	}
	if err := recv(t, errc, "Write and Close"); err != nil {
		t.Fatal(err)
	}
}

// TestFacadeAbortSendsRST: with 64 MiB being written to a peer that does
// not read, Abort wakes the Write with net.ErrClosed and the peer's reads
// end with ECONNRESET before all the data arrived.
func TestFacadeAbortSendsRST(t *testing.T) {
	r := newReactor(t)
	c, peer := dialledPair(t, r)
	src := newStream(9)
	payload := src.bytes(0, closeSize)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(payload)
		werr <- err
	}()
	if _, err := io.ReadFull(peer, make([]byte, 1)); err != nil { // the write is under way
		t.Fatal(err)
	}
	if err := c.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, werr, "the Write's error"); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write during Abort = %v, want net.ErrClosed", err)
	}
	got, err := io.ReadAll(peer)
	if !isReset(err, false) {
		t.Fatalf("peer read %d bytes then %v, want ECONNRESET", len(got)+1, err)
	}
	if len(got)+1 >= closeSize {
		t.Errorf("peer got all %d bytes despite Abort", closeSize)
	}
	if m := src.mismatch(got, 1); m >= 0 {
		t.Errorf("byte %d wrong", m)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Close after Abort = %v, want net.ErrClosed", err)
	}
}

// TestFacadeCloseBoundedByLinger: Close with output queued for a peer that
// never reads does not hold the connection for ever: after the reactor's
// linger time it is closed, so a graceful Shutdown of the reactor completes
// (the default linger, 30 s, would outlast the test's bound). The peer,
// reading at last, gets an exact prefix of the data and then either a
// reset (output was still queued in the reactor when the linger time ran
// out) or EOF (the kernel had taken it all, and delivers it after close).
func TestFacadeCloseBoundedByLinger(t *testing.T) {
	r := newReactor(t, reactor.WithLinger(200*time.Millisecond))
	peer, c := acceptedPair(t, r)
	src := newStream(41)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(src.bytes(0, closeSize))
		werr <- err
	}()
	if _, err := io.ReadFull(peer, make([]byte, 1)); err != nil { // the write is under way
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, werr, "the Write's error"); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write during Close = %v, want net.ErrClosed", err)
	}
	if err := r.Shutdown(testCtx(t)); err != nil {
		t.Fatalf("Shutdown with a lingering Close: %v (%d connections open)", err, r.NumConns())
	}
	got, err := io.ReadAll(peer)
	if err != nil && !isReset(err, false) {
		t.Fatalf("peer read %d bytes then %v, want EOF or ECONNRESET", len(got)+1, err)
	}
	if m := src.mismatch(got, 1); m >= 0 {
		t.Errorf("byte %d wrong", m)
	}
	t.Logf("peer read %d bytes, then %v", len(got)+1, err)
}
