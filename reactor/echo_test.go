package reactor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// randomTable returns n pseudo-random bytes from a fixed seed.
func randomTable(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

func TestEchoThousandConnsIntegrity(t *testing.T) {
	const (
		conns   = 1000
		maxSize = 256 << 10
	)
	r, _ := newTestReactor(t)
	var perLoop [2]atomic.Int64
	h := echo()
	h.open = func(c *Conn) { perLoop[c.loop.idx].Add(1) }
	ln := listen(t, r, h)

	table := randomTable(1<<20, 1)
	rng := rand.New(rand.NewPCG(2, 3))
	deadline := time.Now().Add(testTimeout)
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		size := 1 + rng.IntN(maxSize)
		off := rng.IntN(len(table) - size)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := echoCheck(ln.Addr().String(), table[off:off+size], deadline); err != nil {
				errs <- fmt.Errorf("conn %d (%d bytes): %w", i, size, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 10 {
			t.Error(err)
		}
	}
	if n > 10 {
		t.Errorf("... and %d more failed connections", n-10)
	}
	if a, b := perLoop[0].Load(), perLoop[1].Load(); a == 0 || b == 0 || a+b != conns {
		t.Errorf("connections per loop = %d, %d; want %d spread over both", a, b, conns)
	}
}

// echoCheck sends payload, half-closes, and checks every byte of the echo
// and the EOF after it.
func echoCheck(addr string, payload []byte, deadline time.Time) error {
	c, err := net.DialTimeout("tcp", addr, time.Until(deadline))
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(deadline)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(payload)
		if err == nil {
			err = c.(*net.TCPConn).CloseWrite()
		}
		werr <- err
	}()
	buf := make([]byte, 32<<10)
	got := 0
	for {
		n, err := c.Read(buf)
		if got+n > len(payload) {
			return fmt.Errorf("echo longer than the %d bytes sent", len(payload))
		}
		if !bytes.Equal(buf[:n], payload[got:got+n]) {
			return fmt.Errorf("echo differs within bytes %d..%d", got, got+n)
		}
		got += n
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read after %d bytes: %w", got, err)
		}
	}
	if got != len(payload) {
		return fmt.Errorf("echo has %d bytes, want %d", got, len(payload))
	}
	return <-werr
}

func TestListenPortZeroIPv4AndIPv6(t *testing.T) {
	r, _ := newTestReactor(t)
	cases := []struct{ network, address, host string }{
		{"tcp4", "127.0.0.1:0", "127.0.0.1"},
		{"tcp", "127.0.0.1:0", "127.0.0.1"},
		{"tcp6", "[::1]:0", "::1"},
	}
	for _, tc := range cases {
		t.Run(tc.network+"/"+tc.address, func(t *testing.T) {
			if tc.network == "tcp6" {
				requireIPv6Loopback(t)
			}
			ln, err := r.Listen(testContext(t), tc.network, tc.address, echo())
			if err != nil {
				t.Fatalf("Listen: %v", err)
			}
			defer ln.Close()
			a, ok := ln.Addr().(*net.TCPAddr)
			if !ok || a.Port == 0 || a.IP.String() != tc.host {
				t.Fatalf("Addr() = %v; want %s with a real port", ln.Addr(), tc.host)
			}
			c := dial(t, a)
			echoRoundTrip(t, c, "hello "+tc.network)
		})
	}
}

// requireIPv6Loopback skips only when the host has no IPv6 loopback at all.
func requireIPv6Loopback(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("host has no IPv6 loopback (net.Listen tcp6 [::1]:0: %v)", err)
	}
	_ = l.Close()
}

func TestReusePortListenerPerLoop(t *testing.T) {
	const loops, conns = 4, 32
	r, _ := newTestReactor(t, WithLoops(loops))
	var perLoop [loops]atomic.Int64
	h := echo()
	h.open = func(c *Conn) { perLoop[c.loop.idx].Add(1) }
	ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", h, WithReusePort())
	if netUnsupported(t, err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if len(ln.socks) != loops {
		t.Fatalf("%d listening sockets, want one per loop (%d)", len(ln.socks), loops)
	}
	for i, s := range ln.socks {
		if s.loop.idx != i || s.spread {
			t.Fatalf("socket %d on loop %d (spread %v); want its own loop, not spread", i, s.loop.idx, s.spread)
		}
	}
	for i := 0; i < conns; i++ {
		echoRoundTrip(t, dial(t, ln.Addr()), fmt.Sprintf("conn %d", i))
	}
	used := 0
	var counts []string
	for i := range perLoop {
		if perLoop[i].Load() > 0 {
			used++
		}
		counts = append(counts, fmt.Sprint(perLoop[i].Load()))
	}
	// The kernel hashes connections over the sockets; all 32 landing on one
	// of 4 has probability 4^-31.
	if used < 2 {
		t.Errorf("connections per loop = %s; the kernel should spread them", strings.Join(counts, ","))
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), testTimeout); err == nil {
		t.Fatal("dial after Listener.Close succeeded; want the port closed")
	}
	if err := ln.Close(); !isClosedErr(err) {
		t.Fatalf("second Close = %v, want net.ErrClosed", err)
	}
}

func TestDialSpreadsAndEchoes(t *testing.T) {
	r, _ := newTestReactor(t)
	// A standard echo server, so that only Dial picks loops.
	srv := stdEchoServer(t)
	got := make(chan string, 4)
	var loopsUsed [2]atomic.Int64
	for i := 0; i < 4; i++ {
		var buf []byte
		want := fmt.Sprintf("dialled %d", i)
		h := &funcs{
			open: func(c *Conn) { loopsUsed[c.loop.idx].Add(1); _, _ = c.Write([]byte(want)) },
			data: func(c *Conn, b []byte) {
				if buf = append(buf, b...); len(buf) == len(want) {
					got <- string(buf)
					_ = c.Close()
				}
			},
		}
		c, err := r.Dial(testContext(t), "tcp", srv.String(), h)
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
		if c.RemoteAddrPort().Port() != uint16(srv.(*net.TCPAddr).Port) || !c.LocalAddrPort().IsValid() {
			t.Fatalf("dialled conn addresses: local %v remote %v", c.LocalAddr(), c.RemoteAddr())
		}
		if s := recv(t, got, "echo to a dialled conn"); s != want {
			t.Fatalf("dialled conn got %q, want %q", s, want)
		}
	}
	if loopsUsed[0].Load() != 2 || loopsUsed[1].Load() != 2 {
		t.Errorf("dialled conns per loop = %d, %d; want 2, 2", loopsUsed[0].Load(), loopsUsed[1].Load())
	}
}

// stdEchoServer runs a goroutine-per-connection echo server on the standard
// library until the test ends.
func stdEchoServer(t testing.TB) net.Addr {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
		done  bool
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			if done {
				_ = c.Close()
			}
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		done = true
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr()
}
