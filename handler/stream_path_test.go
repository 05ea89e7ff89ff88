package handler_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/usocket"
)

// TestStreamServerOnUnixPath serves two clients at once on a unix socket:
// the handler's peer is the zero AddrPort and its conn has unix addresses;
// Close removes the socket file.
func TestStreamServerOnUnixPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.sock")
	peers := make(chan netip.AddrPort, 2)
	remotes := make(chan net.Addr, 2)
	h := func(ctx context.Context, c *usocket.Conn, peer netip.AddrPort) error {
		peers <- peer
		remotes <- c.RemoteAddr()
		return lineHandler(nil)(ctx, c, peer)
	}
	s, err := (&handler.StreamServer{Path: path, Mode: handler.PerConnection, Handler: h}).Start(context.Background())
	if err != nil {
		t.Fatalf("Start on %s: %v", path, err)
	}
	t.Cleanup(func() { closeAndWait(t, s) })
	if a, ok := s.Addr().(*net.UnixAddr); !ok || a.Name != path || s.AddrPort().IsValid() {
		t.Fatalf("Addr = %#v, AddrPort %v; want *net.UnixAddr %q, zero AddrPort", s.Addr(), s.AddrPort(), path)
	}
	a, b := dial(t, s.Addr()), dial(t, s.Addr())
	a.send(t, "one")
	b.send(t, "two") // served while a's handler still runs
	expectLine(t, b, "re:two")
	expectLine(t, a, "re:one")
	for i := 0; i < 2; i++ {
		if p := <-peers; p.IsValid() {
			t.Errorf("handler peer = %v, want the zero AddrPort", p)
		}
		if r := <-remotes; r == nil || r.Network() != "unix" {
			t.Errorf("handler's RemoteAddr = %#v, want a *net.UnixAddr", r)
		}
	}
	closeAndWait(t, s)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file after Close: stat error %v, want not exist", err)
	}
}

// TestStreamServerUnixPathConfig: fields that do not apply to a unix socket
// server give a *ConfigError before anything is bound.
func TestStreamServerUnixPathConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.sock")
	for _, sv := range []*handler.StreamServer{
		{Path: path, Host: "127.0.0.1"},
		{Path: path, Port: 1},
		{Path: path, ReusePort: true},
		{Path: path, IdleTimeout: time.Second},
	} {
		sv.Handler = handler.EchoStream
		var ce *handler.ConfigError
		s, err := sv.Start(context.Background())
		if !errors.As(err, &ce) {
			t.Errorf("Start(%+v) = %v, want a *ConfigError", sv, err)
		}
		if err == nil {
			closeAndWait(t, s)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused Start left %s behind: %v", path, err)
	}
}

// TestServeOnUnixPath: the reactor-native Serve takes network "unix":
// Echo answers, a half-close is passed on, and Shutdown removes the socket
// file.
func TestServeOnUnixPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.sock")
	srv, err := handler.Serve(context.Background(), "unix", path, handler.Echo{}, nil)
	if err != nil {
		t.Fatalf("Serve unix: %v", err)
	}
	t.Cleanup(func() { closeAndWait(t, srv) })
	if a, ok := srv.Addr().(*net.UnixAddr); !ok || a.Name != path {
		t.Fatalf("Addr = %#v, want *net.UnixAddr %q", srv.Addr(), path)
	}
	c := dial(t, srv.Addr())
	c.send(t, "ping")
	expectLine(t, c, "ping")
	if err := c.Conn.(*net.UnixConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if l, err := c.tryLine(); l != "" || !errors.Is(err, io.EOF) {
		t.Fatalf("after half-close read %q, %v; want EOF", l, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file after Shutdown: stat error %v, want not exist", err)
	}
}
