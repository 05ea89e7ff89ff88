package faults

import (
	"io"
	"testing"

	"github.com/usocket-go/usocket/reactor"
)

// A peer that resets (SO_LINGER 0, then Close: an RST) while we read or
// write: the reactor closes the connection with an error wrapping the
// errno; the facade's calls return a typed reset.

// TestReactorPeerResetMidRead: the peer sends part of a stream, then resets.
// What arrived is an exact prefix, and OnClose gets ECONNRESET.
func TestReactorPeerResetMidRead(t *testing.T) {
	r := newReactor(t)
	src := newStream(1)
	got := make(chan int64, 1) // bytes received; sent once at close
	closed := make(chan error, 1)
	var n int64
	bad := int64(-1)
	firstData := make(chan struct{})
	h := &funcs{
		data: func(c *reactor.Conn, b []byte) {
			if bad < 0 {
				if m := src.mismatch(b, n); m >= 0 {
					bad = m
				}
			}
			if n == 0 {
				close(firstData)
			}
			n += int64(len(b))
		},
		close: func(c *reactor.Conn, err error) {
			got <- n
			closed <- err
		},
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	const sent = 100 << 10
	if _, err := peer.Write(src.bytes(0, sent)); err != nil {
		t.Fatal(err)
	}
	recv(t, firstData, "the first bytes") // the server is reading
	resetConn(t, peer)
	err := recv(t, closed, "OnClose")
	total := <-got
	if !isReset(err, false) {
		t.Fatalf("OnClose(%v), want an error wrapping ECONNRESET", err)
	}
	if total > sent || bad >= 0 {
		t.Fatalf("received %d of %d bytes, first wrong byte at %d", total, sent, bad)
	}
	t.Logf("received %d of %d bytes before the reset", total, sent)
}

// TestReactorPeerResetMidWrite: the server has 8 MiB queued for a peer that
// reads a little and resets; OnClose reports ECONNRESET or EPIPE, and the
// queue is dropped.
func TestReactorPeerResetMidWrite(t *testing.T) {
	r := newReactor(t)
	src := newStream(2)
	closed := make(chan error, 1)
	queued := make(chan int, 1)
	h := &funcs{
		open: func(c *reactor.Conn) {
			_, _ = c.Write(src.bytes(0, 8<<20))
		},
		close: func(c *reactor.Conn, err error) {
			queued <- c.Buffered()
			closed <- err
		},
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	buf := make([]byte, 64<<10)
	if _, err := io.ReadFull(peer, buf); err != nil {
		t.Fatal(err)
	}
	if m := src.mismatch(buf, 0); m >= 0 {
		t.Fatalf("byte %d wrong", m)
	}
	resetConn(t, peer)
	if err := recv(t, closed, "OnClose"); !isReset(err, true) {
		t.Fatalf("OnClose(%v), want an error wrapping ECONNRESET or EPIPE", err)
	}
	if q := <-queued; q != 0 {
		t.Errorf("Buffered() = %d after the connection closed, want 0", q)
	}
}

// TestFacadePeerResetMidRead: a Read on a Conn whose peer resets returns
// the data that arrived, then an error matching ErrConnectionReset and
// ECONNRESET; later Reads and Writes report the same kind of error.
func TestFacadePeerResetMidRead(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(3)
	const sent = 100 << 10
	if _, err := peer.Write(src.bytes(0, sent)); err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 10<<10)
	if _, err := io.ReadFull(c, first); err != nil {
		t.Fatalf("Read before the reset: %v", err)
	}
	resetConn(t, peer)
	rest, err := io.ReadAll(c)
	checkFacadeReset(t, "Read after the peer's reset", err, false)
	got := append(first, rest...)
	if len(got) > sent || src.mismatch(got, 0) >= 0 {
		t.Fatalf("read %d bytes (sent %d), first wrong byte at %d", len(got), sent, src.mismatch(got, 0))
	}
	// A second Read, once the reset was reported, may give the typed reset
	// again or, as a *net.TCPConn's does (the kernel reports ECONNRESET
	// once), io.EOF; nothing else.
	if _, err = c.Read(make([]byte, 1)); err != io.EOF { //nolint:errorlint // bare io.EOF by contract
		checkFacadeReset(t, "second Read", err, false)
	} else {
		t.Log("second Read after the reset: io.EOF, as on a *net.TCPConn")
	}
	_, err = c.Write([]byte("after"))
	checkFacadeReset(t, "Write after the reset", err, true)
	if err := c.Close(); err != nil {
		t.Errorf("Close after a reset: %v, want nil (the first Close)", err)
	}
}

// TestFacadePeerResetMidWrite: a Write loop to a peer that reads 1 MiB and
// resets ends with a typed reset (or broken pipe), not a timeout.
func TestFacadePeerResetMidWrite(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(4)
	werr := make(chan error, 1)
	go func() {
		chunk := make([]byte, 256<<10)
		var off int64
		for {
			src.fill(chunk, off)
			n, err := c.Write(chunk)
			off += int64(n)
			if err != nil {
				werr <- err
				return
			}
		}
	}()
	buf := make([]byte, 1<<20)
	if _, err := io.ReadFull(peer, buf); err != nil {
		t.Fatal(err)
	}
	if m := src.mismatch(buf, 0); m >= 0 {
		t.Fatalf("byte %d wrong", m)
	}
	resetConn(t, peer)
	checkFacadeReset(t, "Write to a peer that reset", recv(t, werr, "the writer's error"), true)
}
