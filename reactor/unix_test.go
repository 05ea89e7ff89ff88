package reactor

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// unixPath is a fresh socket path in the test's temporary directory.
func unixPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "s.sock")
}

// dialUnix connects a standard client with a deadline on all its I/O.
func dialUnix(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	c, err := net.DialTimeout("unix", path, testTimeout)
	if err != nil {
		t.Fatalf("dial unix %s: %v", path, err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.UnixConn)
}

// TestUnixListenEchoHalfClose serves echo on a unix socket: data comes
// back, the client's half-close reaches OnEOF, the server's reply after it
// still arrives, and then EOF. The accepted conn has unix addresses.
func TestUnixListenEchoHalfClose(t *testing.T) {
	r, _ := newTestReactor(t)
	path := unixPath(t)
	addrs := make(chan [2]net.Addr, 1)
	ports := make(chan [2]bool, 1)
	h := &funcs{
		open: func(c *Conn) {
			addrs <- [2]net.Addr{c.LocalAddr(), c.RemoteAddr()}
			ports <- [2]bool{c.LocalAddrPort().IsValid(), c.RemoteAddrPort().IsValid()}
		},
		data: echoData,
		eof: func(c *Conn) {
			_, _ = c.Write([]byte("bye"))
			_ = c.Close()
		},
	}
	ln, err := r.Listen(testContext(t), "unix", path, h)
	if err != nil {
		t.Fatalf("Listen unix: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if a, ok := ln.Addr().(*net.UnixAddr); !ok || a.Name != path {
		t.Fatalf("Listener.Addr = %#v, want *net.UnixAddr %q", ln.Addr(), path)
	}
	c := dialUnix(t, path)
	echoRoundTrip(t, c, "hello over a unix socket")
	a := recv(t, addrs, "OnOpen")
	if l, ok := a[0].(*net.UnixAddr); !ok || l.Name != path {
		t.Errorf("accepted LocalAddr = %#v, want *net.UnixAddr %q", a[0], path)
	}
	if _, ok := a[1].(*net.UnixAddr); !ok {
		t.Errorf("accepted RemoteAddr = %#v, want a *net.UnixAddr", a[1])
	}
	if p := recv(t, ports, "OnOpen"); p[0] || p[1] {
		t.Errorf("AddrPort valid (local, remote) = %v, want zero values", p)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite: %v", err)
	}
	rest, err := io.ReadAll(c)
	if err != nil || string(rest) != "bye" {
		t.Fatalf("after half-close read %q, %v; want \"bye\" then EOF", rest, err)
	}
}

// TestUnixDialEchoHalfClose dials a standard unix echo server: the
// connection has unix addresses, echoes, and its CloseWrite gives the peer
// EOF while reading goes on.
func TestUnixDialEchoHalfClose(t *testing.T) {
	r, _ := newTestReactor(t)
	path := unixPath(t)
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	served := make(chan error, 1)
	go func() {
		sc, err := l.Accept()
		if err != nil {
			served <- err
			return
		}
		defer func() { _ = sc.Close() }()
		_ = sc.SetDeadline(time.Now().Add(testTimeout))
		_, err = io.Copy(sc, sc) // to the client's EOF
		if err == nil {
			_, err = sc.Write([]byte("eof seen"))
		}
		served <- err
	}()
	got := make(chan string, 1)
	var buf []byte
	h := &funcs{
		open: func(c *Conn) { _, _ = c.Write([]byte("ping")) },
		data: func(c *Conn, b []byte) {
			buf = append(buf, b...)
			if string(buf) == "ping" {
				_ = c.CloseWrite()
			}
		},
		eof: func(c *Conn) { got <- string(buf); _ = c.Close() },
	}
	c, err := r.Dial(testContext(t), "unix", path, h)
	if err != nil {
		t.Fatalf("Dial unix: %v", err)
	}
	if a, ok := c.RemoteAddr().(*net.UnixAddr); !ok || a.Name != path {
		t.Errorf("RemoteAddr = %#v, want *net.UnixAddr %q", c.RemoteAddr(), path)
	}
	if _, ok := c.LocalAddr().(*net.UnixAddr); !ok {
		t.Errorf("LocalAddr = %#v, want a *net.UnixAddr", c.LocalAddr())
	}
	if c.RemoteAddrPort().IsValid() || c.LocalAddrPort().IsValid() {
		t.Errorf("AddrPorts = %v, %v; want zero values", c.LocalAddrPort(), c.RemoteAddrPort())
	}
	if s := recv(t, got, "the echo and EOF"); s != "pingeof seen" {
		t.Fatalf("dialled conn read %q, want %q", s, "pingeof seen")
	}
	if err := recv(t, served, "the server"); err != nil {
		t.Fatalf("server: %v", err)
	}
}

// TestUnixListenerRemovesSocketFile: Close removes the file Listen made,
// as net.UnixListener does, so the path can be listened on again; a
// second Close gives ErrClosed.
func TestUnixListenerRemovesSocketFile(t *testing.T) {
	r, _ := newTestReactor(t)
	path := unixPath(t)
	for i := 0; i < 2; i++ {
		ln, err := r.Listen(testContext(t), "unix", path, echo())
		if err != nil {
			t.Fatalf("Listen #%d: %v", i, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
			t.Fatalf("socket file after Listen: %v, %v", fi, err)
		}
		echoRoundTrip(t, dialUnix(t, path), "x")
		if err := ln.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("socket file after Close: stat error %v, want not exist", err)
		}
		if err := ln.Close(); !errors.Is(err, ErrClosed) {
			t.Fatalf("second Close = %v, want ErrClosed", err)
		}
	}
}

// TestUnixListenExistingFileKept: listening on a path that exists fails
// with EADDRINUSE and leaves the file alone.
func TestUnixListenExistingFileKept(t *testing.T) {
	r, _ := newTestReactor(t)
	path := unixPath(t)
	ln, err := r.Listen(testContext(t), "unix", path, echo())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if _, err := r.Listen(testContext(t), "unix", path, echo()); !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("second Listen on %s = %v, want EADDRINUSE", path, err)
	}
	echoRoundTrip(t, dialUnix(t, path), "still served")
}

// TestUnixPathLimits: a path of MaxUnixPath bytes works; one byte more
// gives a *UnixPathError inside a *net.OpError, for Listen and Dial.
func TestUnixPathLimits(t *testing.T) {
	r, _ := newTestReactor(t)
	dir := t.TempDir()
	if len(dir)+2 > MaxUnixPath {
		t.Fatalf("temporary directory %q too long for this test", dir)
	}
	fits := dir + "/" + strings.Repeat("p", MaxUnixPath-len(dir)-1)
	ln, err := r.Listen(testContext(t), "unix", fits, echo())
	if err != nil {
		t.Fatalf("Listen on a %d-byte path: %v", len(fits), err)
	}
	echoRoundTrip(t, dialUnix(t, fits), "fits")
	_ = ln.Close()
	long := fits + "p"
	_, lerr := r.Listen(testContext(t), "unix", long, echo())
	_, derr := r.Dial(testContext(t), "unix", long, echo())
	for op, err := range map[string]error{"Listen": lerr, "Dial": derr} {
		var pe *UnixPathError
		var oe *net.OpError
		if !errors.As(err, &pe) || !errors.As(err, &oe) || !errors.Is(err, syscall.EINVAL) || pe.Path != long {
			t.Errorf("%s on a %d-byte path = %v, want *UnixPathError in *net.OpError matching EINVAL", op, len(long), err)
		}
	}
}

// TestUnixBadListenInput: datagram and seqpacket unix sockets are not
// served, and SO_REUSEPORT does not apply to unix sockets.
func TestUnixBadListenInput(t *testing.T) {
	r, _ := newTestReactor(t)
	path := unixPath(t)
	var une net.UnknownNetworkError
	if _, err := r.Listen(testContext(t), "unixpacket", path, echo()); !errors.As(err, &une) {
		t.Errorf("Listen unixpacket = %v, want UnknownNetworkError", err)
	}
	var oe *OptionError
	if _, err := r.Listen(testContext(t), "unix", path, echo(), WithReusePort()); !errors.As(err, &oe) {
		t.Errorf("Listen unix with WithReusePort = %v, want *OptionError", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused Listen left %s behind: %v", path, err)
	}
}

// TestUnixCloseFlushesWithBackpressure: a server queues far more than a
// unix socket's buffer holds while the client reads nothing, then closes
// gracefully; the client reads every byte in order, then EOF, and the
// server's OnClose reports a clean close.
func TestUnixCloseFlushesWithBackpressure(t *testing.T) {
	const total = 8 << 20
	table := randomTable(64<<10, 7)
	r, _ := newTestReactor(t)
	path := unixPath(t)
	queued := make(chan error, 1)
	closed := make(chan error, 1)
	h := &funcs{
		open: func(c *Conn) {
			for i := 0; i < total/len(table); i++ {
				if _, err := c.Write(table); err != nil {
					queued <- err
					return
				}
			}
			queued <- c.Close()
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln, err := r.Listen(testContext(t), "unix", path, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	c := dialUnix(t, path)
	if err := recv(t, queued, "the server's writes and Close"); err != nil {
		t.Fatalf("queueing %d bytes and closing: %v", total, err)
	}
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	if n := readRepeating(t, c, make([]byte, 128<<10), table, len(table)); n != total {
		t.Fatalf("read %d bytes then EOF, want %d", n, total)
	}
	_ = c.Close()
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
}
