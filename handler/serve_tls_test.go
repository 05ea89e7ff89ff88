package handler_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/internal/selfsigned"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/reactor/reactortls"
)

// Serve with ServeOptions.TLS: a crypto/tls client gets its echo (ALPN
// negotiated), half-closes with close_notify, and reads a clean EOF; a
// peer stalled in its handshake does not hold up Shutdown.
func TestServeTLS(t *testing.T) {
	cert, pool, err := selfsigned.New(time.Hour, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", handler.Echo{}, &handler.ServeOptions{
		ReactorOptions: []reactor.Option{reactor.WithLoops(2)},
		TLS:            &reactortls.Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"echo"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	stalled, err := net.DialTimeout("tcp", srv.Addr().String(), wait)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: wait}, "tcp", srv.Addr().String(),
		&tls.Config{RootCAs: pool, NextProtos: []string{"echo"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	if p := c.ConnectionState().NegotiatedProtocol; p != "echo" {
		t.Fatalf("ALPN %q, want echo", p)
	}
	msg := bytes.Repeat([]byte("tls "), 50000)
	go func() {
		_, _ = c.Write(msg)
		_ = c.CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo of %d bytes: got %d, %v", len(msg), len(got), err)
	}
	_ = c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

func TestServeTLSBadConfig(t *testing.T) {
	_, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", handler.Echo{},
		&handler.ServeOptions{TLS: &reactortls.Config{}})
	var ce *reactortls.ConfigError
	if !errors.As(err, &ce) || ce.Field != "TLS" {
		t.Fatalf("Serve with no tls.Config: %v, want a *reactortls.ConfigError for TLS", err)
	}
}
