package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/handler"
)

// echoUpstream starts a reactor echo server to proxy to.
func echoUpstream(t *testing.T) string {
	t.Helper()
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", handler.Echo{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), exampletest.Wait)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return srv.Addr().String()
}

func dialProxy(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, exampletest.Wait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	return c.(*net.TCPConn)
}

// Bytes written through the proxy come back intact, and the client's
// half-close travels to the upstream server and back as EOF.
func TestProxyEchoesAndPassesHalfClose(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-to", echoUpstream(t))
	c := dialProxy(t, p.Addr)
	want := make([]byte, 4<<20)
	for i := range want {
		want[i] = byte(rand.Uint32())
	}
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(want)
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c) // ends only at the EOF the half-close brings back
	if err != nil {
		t.Fatalf("read after %d bytes: %v", len(got), err)
	}
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes back, want the %d sent, in order", len(got), len(want))
	}
	if code := p.Stop(t); code != cli.ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
	}
}

// A client that sends while the upstream server never reads is held back
// by TCP: the proxy stops reading it once the upstream queue is full, so
// what the proxy holds stays near the water marks.
func TestProxyBackpressureBoundsMemory(t *testing.T) {
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	accepted := make(chan net.Conn, 1)
	go func() { // accepts one connection and never reads from it
		c, err := up.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	p, ln, err := start(context.Background(), config{addr: "127.0.0.1:0", to: up.Addr().String(), dialTimeout: exampletest.Wait}, func(error) {})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.stop() }()
	c := dialProxy(t, ln.Addr().String())
	const total = 256 << 20
	// The write blocks once TCP holds the client back; the deadline ends it.
	_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	chunk := make([]byte, 1<<20)
	sent := 0
	for sent < total {
		n, err := c.Write(chunk)
		sent += n
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("write after %d bytes: %v", sent, err)
		}
	}
	if sent >= total {
		t.Fatalf("all %d bytes were taken: nothing held the client back", sent)
	}
	// Two queues of at most a high-water mark (256 KiB) plus a read each.
	const bound = 2 << 20
	if q := p.queued(); q > bound {
		t.Fatalf("proxy holds %d bytes queued (client sent %d), want at most %d", q, sent, bound)
	}
	if uc, ok := <-accepted; ok {
		_ = uc.Close()
	}
}

// When the upstream server cannot be reached, the client is cut off (not
// left hanging) and the proxy goes on serving.
func TestProxyUpstreamDownAbortsClient(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := dead.Addr().String()
	_ = dead.Close() // nothing listens there now
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-to", addr)
	for range 3 {
		c, err := net.DialTimeout("tcp", p.Addr, exampletest.Wait)
		if errors.Is(err, syscall.ECONNRESET) {
			continue // the abort can beat the end of the handshake
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
		_, err = c.Read(make([]byte, 1))
		_ = c.Close()
		if err == nil {
			t.Fatal("read data from a proxy with no upstream")
		} else if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal("client left hanging")
		}
	}
	if code := p.Stop(t); code != cli.ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
	}
}

func TestProxyUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"extra"},
		{"-to", "no-port"},
		{"-addr", "nonsense"},
		{"-loops", "-1"},
		{"-dial-timeout", "0s"},
		{"-idle-timeout", "-1s"},
	} {
		code, _, stderr := exampletest.Run(t, run, args...)
		if code != cli.ExitUsage {
			t.Errorf("%q: exit %d, want %d; stderr: %s", args, code, cli.ExitUsage, stderr)
		}
	}
}

// -debug-addr serves the reactor's Stats at /debug/vars and the profiles
// at /debug/pprof/.
func TestProxyDebugEndpoints(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-to", echoUpstream(t), "-debug-addr", "127.0.0.1:0")
	c := dialProxy(t, p.Addr)
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	// One accepted client, one dialled upstream; four bytes read from each. The
	// write to the client may be counted just after the client saw it.
	if s := exampletest.FetchStats(t, p).Total; s.Accepted != 1 || s.Dialed != 1 || s.BytesRead < 8 || s.BytesWritten < 4 {
		t.Fatalf("reactor stats = %+v", s)
	}
	base := exampletest.DebugBase(t, p)
	resp, err := http.Get(strings.TrimSuffix(base, "vars") + "pprof/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pprof: %s", resp.Status)
	}
}
