package faults

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

// A fault-injecting proxy between a facade client and a facade or reactor
// server: the facade's reads, deadlines and half-close must behave through
// delays, one-byte segments and stalls, and a cut must surface as a typed
// error.

func startProxy(t *testing.T, target net.Addr, cfg ProxyConfig) *Proxy {
	t.Helper()
	p, err := NewProxy(testCtx(t), target.String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// proxyClient connects a facade client to p on r.
func proxyClient(t *testing.T, r *reactor.Reactor, p *Proxy) *usocket.Conn {
	t.Helper()
	d := usocket.Dialer{Reactor: r}
	c, err := d.Connect(testCtx(t), "127.0.0.1", p.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatalf("Connect through the proxy: %v", err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// startStreamServer runs a facade StreamServer on r.
func startStreamServer(t *testing.T, r *reactor.Reactor, h handler.StreamHandler) net.Addr {
	t.Helper()
	sv := handler.StreamServer{Host: "127.0.0.1", Mode: handler.PerConnection, Handler: h, Reactor: r}
	s, err := sv.Start(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("StreamServer Shutdown: %v", err)
		}
	})
	return s.Addr()
}

// echoThrough sends n stream bytes through c, half-closes, and checks that
// exactly those bytes come back, then EOF.
func echoThrough(t *testing.T, c *usocket.Conn, src *stream, n int) {
	t.Helper()
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(src.bytes(0, n))
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c)
	if err != nil || len(got) != n || src.mismatch(got, 0) >= 0 {
		t.Fatalf("echo: %d of %d bytes, first wrong at %d, err %v", len(got), n, src.mismatch(got, 0), err)
	}
	if err := recv(t, werr, "the writer"); err != nil {
		t.Fatal(err)
	}
}

// TestProxyByteAtATimeToReactor: one-byte segments to a reactor Echo, and
// the FIN through the proxy both ways.
func TestProxyByteAtATimeToReactor(t *testing.T) {
	r := newReactor(t)
	ln := reactorListen(t, r, handler.Echo{})
	p := startProxy(t, ln.Addr(), ProxyConfig{ByteAtATime: true})
	echoThrough(t, proxyClient(t, r, p), newStream(20), 16<<10)
}

// TestProxyDelayedToFacade: delayed chunks to a facade EchoStream server.
func TestProxyDelayedToFacade(t *testing.T) {
	r := newReactor(t)
	addr := startStreamServer(t, r, handler.EchoStream)
	p := startProxy(t, addr, ProxyConfig{Delay: 2 * time.Millisecond})
	echoThrough(t, proxyClient(t, r, p), newStream(21), 512<<10)
}

// TestProxyStallFiresDeadline: while the proxy holds everything, a Read
// deadline fires with the facade's timeout error; afterwards the stream
// goes on intact.
func TestProxyStallFiresDeadline(t *testing.T) {
	r := newReactor(t)
	ln := reactorListen(t, r, handler.Echo{})
	p := startProxy(t, ln.Addr(), ProxyConfig{})
	c := proxyClient(t, r, p)
	buf := make([]byte, 5)
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("first echo %q, %v", buf, err)
	}
	p.Stall()
	if _, err := c.Write([]byte("world")); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	n, err := c.Read(buf)
	checkTimeout(t, "Read through a stalled proxy", err)
	if n != 0 {
		t.Fatalf("Read returned %d bytes with the proxy stalled", n)
	}
	p.Resume()
	if err := c.SetReadDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "world" {
		t.Fatalf("echo after the stall %q, %v", buf, err)
	}
}

// TestProxyCloseWriteIsFIN: the client's CloseWrite reaches a facade server
// through a slow proxy as EOF; the server's answer comes back, then EOF.
func TestProxyCloseWriteIsFIN(t *testing.T) {
	r := newReactor(t)
	count := func(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
		n, err := io.Copy(io.Discard, c)
		if err != nil {
			return err
		}
		_, err = c.Write([]byte("got " + strconv.FormatInt(n, 10) + " bytes"))
		return err
	}
	addr := startStreamServer(t, r, count)
	p := startProxy(t, addr, ProxyConfig{Delay: time.Millisecond})
	c := proxyClient(t, r, p)
	if _, err := c.Write(newStream(22).bytes(0, 100_000)); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "got 100000 bytes" {
		t.Fatalf("answer %q, %v", got, err)
	}
}

// TestProxyRandomCuts: the proxy resets each of several echo streams at a
// seeded random point; every client ends with a typed reset, and what it
// received before is an exact prefix of what it sent.
func TestProxyRandomCuts(t *testing.T) {
	const clients, size = 8, 1 << 20
	r := newReactor(t)
	ln := reactorListen(t, r, handler.Echo{})
	p := startProxy(t, ln.Addr(), ProxyConfig{CutMin: 4 << 10, CutMax: 256 << 10, Seed: 42})
	src := newStream(23)
	type result struct {
		got        int
		bad        int64
		rerr, werr error
	}
	results := make(chan result, clients)
	var wg sync.WaitGroup
	for range clients {
		c := proxyClient(t, r, p)
		wg.Add(1)
		go func() {
			defer wg.Done()
			werr := make(chan error, 1)
			go func() {
				_, err := c.Write(src.bytes(0, size))
				if err == nil {
					err = c.CloseWrite()
				}
				werr <- err
			}()
			got, rerr := io.ReadAll(c)
			results <- result{got: len(got), bad: src.mismatch(got, 0), rerr: rerr, werr: <-werr}
		}()
	}
	wg.Wait()
	for range clients {
		res := <-results
		if res.bad >= 0 {
			t.Errorf("stream corrupted at byte %d before the cut", res.bad)
		}
		// The kernel reports a reset once, to whichever call meets it
		// first: the Read, or the Write running beside it (the Read then
		// sees EOF).
		if res.rerr == nil && errors.Is(res.werr, usocket.ErrConnectionReset) {
			continue
		}
		checkFacadeReset(t, "Read on a cut connection (after "+strconv.Itoa(res.got)+" bytes)", res.rerr, false)
		// CloseWrite after the reset reports ENOTCONN, as *net.TCPConn's does.
		if res.werr != nil && !errors.Is(res.werr, usocket.ErrConnectionReset) &&
			!errors.Is(res.werr, usocket.ErrConnectionAborted) && !errors.Is(res.werr, usocket.ErrShutdown) {
			t.Errorf("Write or CloseWrite on a cut connection: %v, want nil (all queued) or a typed reset", res.werr)
		}
	}
	if n := p.Cuts(); n != clients {
		t.Errorf("proxy cut %d connections, want %d", n, clients)
	}
}

// TestProxyStallWriteDeadline: a Write into a stalled proxy fills every
// buffer and times out with the facade's deadline error; the count it
// returns is exact: after Resume and CloseWrite, the echo is precisely
// those bytes.
func TestProxyStallWriteDeadline(t *testing.T) {
	r := newReactor(t)
	ln := reactorListen(t, r, handler.Echo{})
	p := startProxy(t, ln.Addr(), ProxyConfig{})
	c := proxyClient(t, r, p)
	src := newStream(24)
	p.Stall()
	if err := c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	n, err := c.Write(src.bytes(0, 64<<20))
	checkTimeout(t, "Write into a stalled proxy", err)
	// n may be 0 on a loaded machine (the deadline can pass before the
	// first write); whatever it is, the echo below must match it exactly.
	if n < 0 || n >= 64<<20 {
		t.Fatalf("Write counted %d bytes", n)
	}
	p.Resume()
	if err := c.SetWriteDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || len(got) != n || src.mismatch(got, 0) >= 0 {
		t.Fatalf("echo: %d bytes (Write counted %d), first wrong at %d, err %v", len(got), n, src.mismatch(got, 0), err)
	}
	t.Logf("Write counted %d bytes before its deadline", n)
}
