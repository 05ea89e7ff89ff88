package faults

import (
	"io"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// A peer that resets a connection whose reading is paused (backpressure):
// the connection is dead and must be reported as such, not kept open until
// someone resumes reading.

// TestReactorResetWhilePaused: a reactor Conn paused from OnOpen, with
// nothing queued to write, whose peer sends a little and resets. While
// paused its descriptor is out of epoll, so (like a blocking reader that
// does not read) it learns of the reset only when it reads again: after
// ResumeRead it gets the bytes sent before the RST, then OnClose with
// ECONNRESET. (See the report of issue 8: the reset is not reported while
// paused.)
func TestReactorResetWhilePaused(t *testing.T) {
	r := newReactor(t)
	opened := make(chan *reactor.Conn, 1)
	closed := make(chan error, 1)
	var got []byte // loop-owned until OnClose
	gotc := make(chan string, 1)
	h := &funcs{
		open: func(c *reactor.Conn) {
			_ = c.PauseRead()
			_ = c.Execute(func() { opened <- c }) // runs once the pause is applied
		},
		data: func(c *reactor.Conn, b []byte) { got = append(got, b...) },
		close: func(c *reactor.Conn, err error) {
			gotc <- string(got)
			closed <- err
		},
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	rc := recv(t, opened, "OnOpen")
	if _, err := peer.Write([]byte("unread")); err != nil {
		t.Fatal(err)
	}
	resetConn(t, peer)
	if err := rc.ResumeRead(); err != nil {
		t.Fatalf("ResumeRead: %v", err)
	}
	if err := recv(t, closed, "OnClose"); !isReset(err, false) {
		t.Fatalf("OnClose(%v), want ECONNRESET", err)
	}
	if s := <-gotc; s != "unread" {
		t.Errorf("data before the reset = %q, want %q", s, "unread")
	}
}

// TestFacadeResetWhileFull: the peer floods a facade Conn that nobody reads
// until backpressure holds it (the Conn stops reading), then resets. A
// reader then gets exactly the bytes that were sent, in order, or a prefix
// of them, and then a typed reset.
func TestFacadeResetWhileFull(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(40)
	if err := peer.SetWriteDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, slowChunk)
	var sent int64
	for {
		src.fill(chunk, sent)
		n, err := peer.Write(chunk)
		sent += int64(n)
		if err != nil {
			break
		}
	}
	resetConn(t, peer)
	got, err := io.ReadAll(c)
	checkFacadeReset(t, "Read after the peer reset a full Conn", err, false)
	if int64(len(got)) > sent || src.mismatch(got, 0) >= 0 {
		t.Fatalf("read %d of %d bytes, first wrong byte at %d", len(got), sent, src.mismatch(got, 0))
	}
	t.Logf("read %d of %d bytes sent before the reset", len(got), sent)
}
