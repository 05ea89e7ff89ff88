package faults

import (
	"io"
	"testing"

	"github.com/usocket-go/usocket/reactor"
)

// A peer that goes away without reading (its Close with unread data sends
// an RST) while we write 64 MiB: the writer learns it promptly with a
// typed error, and nothing hangs or leaks (newReactor checks descriptors and
// open connections at the end, TestMain goroutines).

const vanishSize = 64 << 20

// TestFacadePeerVanishesDuringWrite: one 64 MiB Write to a peer that reads
// one byte and closes returns a typed reset or broken pipe, not a timeout.
func TestFacadePeerVanishesDuringWrite(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	payload := newStream(6).bytes(0, vanishSize)
	werr := make(chan error, 1)
	wn := make(chan int, 1)
	go func() {
		n, err := c.Write(payload)
		wn <- n
		werr <- err
	}()
	if _, err := io.ReadFull(peer, make([]byte, 1)); err != nil { // the write is under way
		t.Fatal(err)
	}
	if err := peer.Close(); err != nil {
		t.Fatal(err)
	}
	err := recv(t, werr, "the Write's error")
	checkFacadeReset(t, "Write to a vanished peer", err, true)
	if n := <-wn; n >= vanishSize {
		t.Errorf("Write reported all %d bytes written", n)
	}
}

// TestReactorPeerVanishesDuringWrite: 64 MiB queued on a reactor Conn for a
// peer that reads one byte and closes: OnClose reports ECONNRESET or EPIPE.
func TestReactorPeerVanishesDuringWrite(t *testing.T) {
	r := newReactor(t)
	payload := newStream(7).bytes(0, vanishSize)
	closed := make(chan error, 1)
	h := &funcs{
		open:  func(c *reactor.Conn) { _, _ = c.Write(payload) },
		close: func(c *reactor.Conn, err error) { closed <- err },
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	if _, err := io.ReadFull(peer, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if err := peer.Close(); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closed, "OnClose"); !isReset(err, true) {
		t.Fatalf("OnClose(%v), want an error wrapping ECONNRESET or EPIPE", err)
	}
}
