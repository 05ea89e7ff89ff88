package reactor

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestWriteDirectKeepsOrderBehindQueuedBytes: a callback queues bytes with
// Write and then calls WriteDirect, and a second, large WriteDirect meets a
// full socket buffer (the client reads only after the server is done): the
// peer must get every byte, in the order written.
func TestWriteDirectKeepsOrderBehindQueuedBytes(t *testing.T) {
	r, _ := newTestReactor(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB: more than the socket takes at once
	var want []byte
	want = append(want, "queued-"...)
	want = append(want, "direct-"...)
	want = append(want, big...)
	want = append(want, "-tail"...)
	ln := listen(t, r, &funcs{open: func(c *Conn) {
		_, _ = c.Write([]byte("queued-"))
		_, _ = c.WriteDirect([]byte("direct-")) // goes behind the queued bytes
		_, _ = c.WriteDirect(big)
		_, _ = c.WriteDirect([]byte("-tail"))
		_ = c.Close()
	}})
	cl := dial(t, ln.Addr())
	got, err := io.ReadAll(cl)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes, want %d; equal prefix %d", len(got), len(want), commonPrefix(got, want))
	}
}

// TestWriteDirectEcho: an echo built on WriteDirect returns every byte.
func TestWriteDirectEcho(t *testing.T) {
	r, _ := newTestReactor(t)
	ln := listen(t, r, &funcs{data: func(c *Conn, b []byte) { _, _ = c.WriteDirect(b) }})
	cl := dial(t, ln.Addr())
	msg := bytes.Repeat([]byte("echo me "), 1<<16) // 512 KiB
	go func() {
		_, _ = cl.Write(msg)
		_ = cl.CloseWrite()
	}()
	got, err := io.ReadAll(cl)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo: %d bytes (want %d), err %v", len(got), len(msg), err)
	}
}

// TestWriteDirectAfterClose returns the write-closed error.
func TestWriteDirectAfterClose(t *testing.T) {
	r, _ := newTestReactor(t)
	errs := make(chan error, 1)
	ln := listen(t, r, &funcs{open: func(c *Conn) {
		_ = c.CloseWrite()
		_, err := c.WriteDirect([]byte("late"))
		errs <- err
	}})
	dial(t, ln.Addr())
	if err := recv(t, errs, "WriteDirect's error"); !errors.Is(err, ErrWriteClosed) {
		t.Fatalf("WriteDirect after CloseWrite = %v, want ErrWriteClosed", err)
	}
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
