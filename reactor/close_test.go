package reactor

import (
	"bytes"
	"errors"
	"io"
	"syscall"
	"testing"
	"time"
)

func TestPeerHalfCloseThenDelayedReply(t *testing.T) {
	r, _ := newTestReactor(t)
	var req []byte // loop-owned
	closed := make(chan error, 1)
	timerErr := make(chan error, 1)
	h := &funcs{
		data: func(c *Conn, b []byte) { req = append(req, b...) },
		eof: func(c *Conn) {
			// The peer is done sending; the connection must stay writable.
			_, err := c.AfterFunc(50*time.Millisecond, func() {
				_, _ = c.Write(append([]byte("reply to: "), req...))
				_ = c.Close()
			})
			timerErr <- err
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	if _, err := c.Write([]byte("the whole request")); err != nil {
		t.Fatal(err)
	}
	sentFIN := time.Now()
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c) // to EOF, bounded by the conn's deadline
	if err != nil {
		t.Fatalf("read reply: %v (got %q)", err, got)
	}
	if err := recv(t, timerErr, "OnEOF"); err != nil {
		t.Fatalf("AfterFunc in OnEOF: %v", err)
	}
	if want := "reply to: the whole request"; string(got) != want {
		t.Fatalf("reply = %q, want %q", got, want)
	}
	// A timer never fires early: the reply cannot precede the 50 ms.
	if d := time.Since(sentFIN); d < 50*time.Millisecond {
		t.Fatalf("reply complete %v after the FIN; the 50 ms timer fired early", d)
	}
	_ = c.Close()
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil after a graceful close", err)
	}
}

func TestCloseFlushes64MiB(t *testing.T) {
	const total = 64 << 20
	table := randomTable(1<<20, 4)
	r, _ := newTestReactor(t)
	closeCalled := make(chan error, 1)
	afterClose := make(chan error, 1)
	closed := make(chan error, 1)
	h := &funcs{
		open: func(c *Conn) {
			for i := 0; i < total/len(table); i++ {
				if _, err := c.Write(table); err != nil {
					closeCalled <- err
					return
				}
			}
			closeCalled <- c.Close()
			_, err := c.Write([]byte("late"))
			afterClose <- err
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	// Read nothing until the server has called Close with everything
	// queued. Queueing 64 MiB (64 copies of 1 MiB under -race) took over
	// testTimeout on this 2-core machine under load: its own, longer bound.
	select {
	case err := <-closeCalled:
		if err != nil {
			t.Fatalf("Close with 64 MiB queued: %v", err)
		}
	case <-time.After(3 * testTimeout):
		t.Fatal("timed out waiting for the server to queue 64 MiB and Close")
	}
	if err := recv(t, afterClose, "Write after Close"); !isClosedErr(err) {
		t.Fatalf("Write after Close = %v, want net.ErrClosed", err)
	}
	// Queueing 64 MiB under -race on a loaded 2-core machine took half of
	// testTimeout by itself: the read gets a bound of its own.
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	n := readRepeating(t, c, make([]byte, 256<<10), table, len(table))
	if n != total {
		t.Fatalf("read %d bytes then EOF, want %d", n, total)
	}
	_ = c.Close()
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
}

func TestAbortSendsReset(t *testing.T) {
	r, _ := newTestReactor(t)
	closed := make(chan error, 1)
	again := make(chan error, 1)
	h := &funcs{
		data: func(c *Conn, b []byte) {
			_, _ = c.Write(bytes.Repeat([]byte("x"), 1<<20)) // dropped by Abort
			_ = c.Abort()
			again <- c.Abort()
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	if _, err := c.Write([]byte("go")); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v) after Abort, want nil", err)
	}
	if err := recv(t, again, "second Abort"); !isClosedErr(err) {
		t.Fatalf("second Abort = %v, want net.ErrClosed", err)
	}
	_, err := io.ReadAll(c)
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("client read after Abort = %v, want ECONNRESET", err)
	}
}

func TestCloseWriteKeepsReading(t *testing.T) {
	r, _ := newTestReactor(t)
	writeErr := make(chan error, 1)
	fromPeer := make(chan string, 1)
	closed := make(chan error, 1)
	var got []byte // loop-owned
	h := &funcs{
		open: func(c *Conn) {
			_, _ = c.Write([]byte("server says hi"))
			if err := c.CloseWrite(); err != nil {
				writeErr <- err
				return
			}
			_, err := c.Write([]byte("too late"))
			writeErr <- err
		},
		data: func(c *Conn, b []byte) { got = append(got, b...) },
		eof: func(c *Conn) {
			fromPeer <- string(got)
			_ = c.Close()
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	if err := recv(t, writeErr, "OnOpen"); !errors.Is(err, ErrWriteClosed) {
		t.Fatalf("Write after CloseWrite = %v, want ErrWriteClosed", err)
	}
	b, err := io.ReadAll(c)
	if err != nil || string(b) != "server says hi" {
		t.Fatalf("client read %q, %v; want the greeting then EOF", b, err)
	}
	if _, err := c.Write([]byte("client still talks")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if s := recv(t, fromPeer, "OnEOF after our CloseWrite"); s != "client still talks" {
		t.Fatalf("server read %q from the peer after CloseWrite", s)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
}
