package reactortls

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// replyOnEOF gathers the request until the peer's close_notify, then
// sends it back reversed, and CloseWrites (close_notify, FIN).
type replyOnEOF struct {
	*recorder
	got []byte
}

func (h *replyOnEOF) OnData(_ *reactor.Conn, b []byte) { h.got = append(h.got, b...) }
func (h *replyOnEOF) OnEOF(c *reactor.Conn) {
	h.recorder.OnEOF(c)
	_, _ = c.Write(bytes.ToUpper(h.got))
	_ = c.CloseWrite()
}

// Half-close: the client's close_notify is the server's OnEOF, the server
// still writes, and its CloseWrite is a clean io.EOF at the client; then
// the server's connection ends with no error.
func TestHalfCloseNotify(t *testing.T) {
	rec := newRecorder()
	h := &replyOnEOF{recorder: rec}
	addr, _, _ := startServer(t, h, &Config{TLS: serverTLS()})
	c := dialTLS(t, addr, clientTLS())
	if _, err := c.Write([]byte("hello tls")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil { // close_notify only
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "HELLO TLS" {
		t.Fatalf("read %q, %v; want HELLO TLS, nil", got, err)
	}
	recv(t, rec.eof, "OnEOF")
	_ = c.Close()
	if err := recv(t, rec.closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
}

// A truncation attack: the peer sends data, then a TCP FIN without
// close_notify. The handler gets the data and then OnClose(ErrTruncated),
// never OnEOF.
func TestTruncationIsAnError(t *testing.T) {
	rec := newRecorder()
	addr, _, _ := startServer(t, rec, &Config{TLS: serverTLS()})
	raw, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(20 * time.Second))
	c := tls.Client(raw, clientTLS())
	if _, err := c.Write([]byte("pay 100")); err != nil {
		t.Fatal(err)
	}
	if got := rec.readN(t, 7); string(got) != "pay 100" {
		t.Fatalf("got %q", got)
	}
	if err := raw.(*net.TCPConn).CloseWrite(); err != nil { // FIN, no close_notify
		t.Fatal(err)
	}
	err = recv(t, rec.closed, "OnClose")
	if !errors.Is(err, ErrTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("OnClose(%v), want ErrTruncated", err)
	}
	select {
	case <-rec.eof:
		t.Fatal("OnEOF on a truncated stream")
	default:
	}
}

// Close flushes what was written, then close_notify: the client reads
// all of it and a clean EOF.
func TestCloseFlushes(t *testing.T) {
	msg := bytes.Repeat([]byte("z"), 1<<20)
	h := &openWrite{msg: msg}
	addr, _, _ := startServer(t, h, &Config{TLS: serverTLS()})
	c := dialTLS(t, addr, clientTLS())
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("read %d bytes, %v; want %d, nil", len(got), err, len(msg))
	}
}

// openWrite writes msg in OnOpen and closes at once.
type openWrite struct {
	reactor.BaseHandler
	msg []byte
}

func (h *openWrite) OnOpen(c *reactor.Conn) {
	_, _ = c.Write(h.msg)
	_ = c.Close()
}

// bufferedProbe writes in OnOpen and records how much Buffered grew. (The
// handshake's last records, written by the handshake goroutine, may still
// be queued when OnOpen runs on a busy machine.)
type bufferedProbe struct {
	reactor.BaseHandler
	n chan int
}

func (h *bufferedProbe) OnOpen(c *reactor.Conn) {
	before := c.Buffered()
	_, _ = c.Write(make([]byte, 1000))
	h.n <- c.Buffered() - before
}

// Buffered (and so the water marks) counts the ciphertext queued: the
// plaintext plus the record's header, type byte and AEAD tag. A Write
// from a callback is queued and sent after it, so Buffered grows by that.
func TestBufferedCountsCiphertext(t *testing.T) {
	h := &bufferedProbe{n: make(chan int, 1)}
	addr, _, _ := startServer(t, h, &Config{TLS: serverTLS()})
	cfg := clientTLS()
	cfg.MinVersion = tls.VersionTLS13
	c := dialTLS(t, addr, cfg)
	if _, err := io.ReadFull(c, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	if n := recv(t, h.n, "Buffered"); n != 1000+5+1+16 {
		t.Fatalf("Buffered grew by %d with a 1000-byte Write, want %d (one TLS 1.3 AES-GCM record)", n, 1000+5+1+16)
	}
}

// A forged record after the handshake ends the connection with
// crypto/tls's error (a *net.OpError carrying the bad_record_mac alert it
// sent), not OnEOF.
func TestForgedRecordIsAnError(t *testing.T) {
	rec := newRecorder()
	addr, _, _ := startServer(t, rec, &Config{TLS: serverTLS()})
	raw := rawDial(t, addr)
	c := tls.Client(raw, clientTLS())
	if _, err := c.Write([]byte("ok")); err != nil {
		t.Fatal(err)
	}
	if got := rec.readN(t, 2); string(got) != "ok" {
		t.Fatalf("got %q", got)
	}
	forged := append([]byte{0x17, 0x03, 0x03, 0x00, 0x20}, bytes.Repeat([]byte{0x5a}, 0x20)...)
	if _, err := raw.Write(forged); err != nil {
		t.Fatal(err)
	}
	err := recv(t, rec.closed, "OnClose")
	var oe *net.OpError
	if !errors.As(err, &oe) || errors.Is(err, ErrTruncated) {
		t.Fatalf("OnClose(%v), want crypto/tls's *net.OpError", err)
	}
	select {
	case <-rec.eof:
		t.Fatal("OnEOF on a forged record")
	default:
	}
}
