package reactortls

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// recorder is a handler that reports its events on channels.
type recorder struct {
	opened chan *reactor.Conn
	data   chan []byte
	eof    chan struct{}
	closed chan error
	state  chan tls.ConnectionState
}

func newRecorder() *recorder {
	return &recorder{opened: make(chan *reactor.Conn, 1), data: make(chan []byte, 1024),
		eof: make(chan struct{}, 1), closed: make(chan error, 1), state: make(chan tls.ConnectionState, 1)}
}

func (r *recorder) OnOpen(c *reactor.Conn) {
	if st, ok := ConnectionState(c); ok {
		r.state <- st
	}
	r.opened <- c
}
func (r *recorder) OnData(_ *reactor.Conn, b []byte) { r.data <- bytes.Clone(b) }
func (r *recorder) OnEOF(*reactor.Conn)              { r.eof <- struct{}{} }
func (r *recorder) OnClose(_ *reactor.Conn, err error) {
	r.closed <- err
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
		var zero T
		return zero
	}
}

// readAll gathers n bytes of OnData.
func (r *recorder) readN(t *testing.T, n int) []byte {
	t.Helper()
	var got []byte
	for len(got) < n {
		got = append(got, recv(t, r.data, "data")...)
	}
	return got
}

// stdServer is a crypto/tls server that runs serve on each connection.
func stdServer(t *testing.T, cfg *tls.Config, serve func(*tls.Conn)) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(20 * time.Second))
			serve(c.(*tls.Conn))
			_ = c.Close()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func newReactor(t *testing.T) (*reactor.Reactor, *hookErrs) {
	t.Helper()
	hook := newHookErrs()
	r, err := reactor.New(reactor.WithLoops(1), reactor.WithErrorHook(hook.hook))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r, hook
}

func dialReactor(t *testing.T, r *reactor.Reactor, addr string, h reactor.Handler, cfg *tls.Config) *reactor.Conn {
	t.Helper()
	ch, err := Client(h, &Config{TLS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := r.Dial(ctx, "tcp", addr, ch)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The reactor as a TLS client against a crypto/tls server, both
// versions, with ALPN; close_notify both ways.
func TestClientStdServer(t *testing.T) {
	for _, vers := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(vers), func(t *testing.T) {
			scfg := serverTLS()
			scfg.NextProtos = []string{"h2", "echo/1"}
			addr := stdServer(t, scfg, func(c *tls.Conn) {
				b, _ := io.ReadAll(c) // to the client's close_notify
				_, _ = c.Write(b)
				_ = c.CloseWrite()
			})
			r, _ := newReactor(t)
			rec := newRecorder()
			ccfg := clientTLS()
			ccfg.MinVersion, ccfg.MaxVersion = vers, vers
			ccfg.NextProtos = []string{"echo/1"}
			c := dialReactor(t, r, addr, rec, ccfg)
			st := recv(t, rec.state, "state")
			if st.Version != vers || st.NegotiatedProtocol != "echo/1" {
				t.Fatalf("version %x ALPN %q; want %x echo/1", st.Version, st.NegotiatedProtocol, vers)
			}
			recv(t, rec.opened, "OnOpen")
			msg := bytes.Repeat([]byte("x"), 100000)
			if _, err := c.Write(msg); err != nil {
				t.Fatal(err)
			}
			if err := c.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			if got := rec.readN(t, len(msg)); !bytes.Equal(got, msg) {
				t.Fatal("echo differs")
			}
			recv(t, rec.eof, "OnEOF")
			_ = c.Close()
			if err := recv(t, rec.closed, "OnClose"); err != nil {
				t.Fatalf("OnClose(%v), want nil", err)
			}
		})
	}
}

// A client that does not trust the server's certificate: OnClose gets a
// *HandshakeError wrapping crypto/tls's verification error, no OnOpen.
func TestClientBadCertificate(t *testing.T) {
	addr := stdServer(t, serverTLS(), func(c *tls.Conn) { _ = c.Handshake() })
	r, _ := newReactor(t)
	rec := newRecorder()
	cfg := &tls.Config{ServerName: "localhost"} // system roots: ours is unknown
	c := dialReactor(t, r, addr, rec, cfg)
	if _, err := c.Write([]byte("early")); !errors.Is(err, ErrHandshaking) && !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Write before OnOpen: %v, want ErrHandshaking", err)
	}
	err := recv(t, rec.closed, "OnClose")
	var he *HandshakeError
	var ve *tls.CertificateVerificationError
	if !errors.As(err, &he) || !errors.As(err, &ve) {
		t.Fatalf("OnClose(%v), want a *HandshakeError with a *tls.CertificateVerificationError", err)
	}
	select {
	case <-rec.opened:
		t.Fatal("OnOpen after a failed handshake")
	default:
	}
}
