package usocket

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// unixListener listens on a fresh path in the test's temporary directory
// and closes the listener when the test ends.
func unixListener(t *testing.T) (*Listener, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.sock")
	ln, err := ListenUnix(testCtx(t), path)
	if err != nil {
		t.Fatalf("ListenUnix: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln, path
}

// unixPair dials ln's path with a Dialer and accepts; both are closed when
// the test ends.
func unixPair(t *testing.T, ln *Listener, path string) (dialled, accepted *Conn) {
	t.Helper()
	var d Dialer
	nc, err := d.DialContext(testCtx(t), "unix", path)
	if err != nil {
		t.Fatalf("DialContext unix: %v", err)
	}
	a, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		_ = nc.Close()
		t.Fatalf("AcceptConn: %v", err)
	}
	dialled = nc.(*Conn)
	t.Cleanup(func() { _ = dialled.Close(); _ = a.Close() })
	deadline := time.Now().Add(testTimeout)
	_ = dialled.SetDeadline(deadline)
	_ = a.SetDeadline(deadline)
	return dialled, a
}

// TestUnixDialListenAccept: a unix Listener is a waitlist source that
// turns ready on a connection; Accept returns a *Conn with unix addresses;
// data flows both ways; a half-close gives the peer EOF while the other
// direction goes on; use after Close fails with net.ErrClosed.
func TestUnixDialListenAccept(t *testing.T) {
	ln, path := unixListener(t)
	if a, ok := ln.Addr().(*net.UnixAddr); !ok || a.Name != path || ln.AddrPort().IsValid() {
		t.Fatalf("Addr = %#v, AddrPort %v; want *net.UnixAddr %q and a zero AddrPort", ln.Addr(), ln.AddrPort(), path)
	}
	if _, err := waitlist.Wait(testCtx(t), 0, ln); !errors.Is(err, waitlist.ErrTimeout) {
		t.Fatalf("Wait on an idle listener = %v, want ErrTimeout", err)
	}
	var d Dialer
	nc, err := d.DialContext(testCtx(t), "unix", path)
	if err != nil {
		t.Fatalf("DialContext: %v", err)
	}
	c := nc.(*Conn)
	t.Cleanup(func() { _ = c.Close() })
	if ready, err := waitlist.Wait(testCtx(t), testTimeout, ln); err != nil || len(ready) != 1 {
		t.Fatalf("Wait on a listener with a connection waiting = %v, %v", ready, err)
	}
	a, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatalf("AcceptConn: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	_ = a.SetDeadline(time.Now().Add(testTimeout))
	if r, ok := c.RemoteAddr().(*net.UnixAddr); !ok || r.Name != path {
		t.Errorf("dialled RemoteAddr = %#v, want *net.UnixAddr %q", c.RemoteAddr(), path)
	}
	if l, ok := a.LocalAddr().(*net.UnixAddr); !ok || l.Name != path {
		t.Errorf("accepted LocalAddr = %#v, want *net.UnixAddr %q", a.LocalAddr(), path)
	}
	if _, ok := c.LocalAddr().(*net.UnixAddr); !ok {
		t.Errorf("dialled LocalAddr = %#v, want a *net.UnixAddr", c.LocalAddr())
	}
	if _, ok := a.RemoteAddr().(*net.UnixAddr); !ok {
		t.Errorf("accepted RemoteAddr = %#v, want a *net.UnixAddr", a.RemoteAddr())
	}
	if c.RemoteAddrPort().IsValid() || a.LocalAddrPort().IsValid() {
		t.Errorf("AddrPorts %v, %v; want zero values", c.RemoteAddrPort(), a.LocalAddrPort())
	}

	mustWrite(t, c, "request")
	if ready, err := waitlist.Wait(testCtx(t), testTimeout, a); err != nil || len(ready) != 1 {
		t.Fatalf("Wait on a conn with data waiting = %v, %v", ready, err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite: %v", err)
	}
	got, err := io.ReadAll(a)
	if err != nil || string(got) != "request" {
		t.Fatalf("server read %q, %v; want \"request\" then EOF", got, err)
	}
	mustWrite(t, a, "reply")
	_ = a.Close()
	got, err = io.ReadAll(c)
	if err != nil || string(got) != "reply" {
		t.Fatalf("client read %q, %v; want \"reply\" then EOF", got, err)
	}
	if _, err := a.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close = %v, want net.ErrClosed", err)
	}
	var oe *net.OpError
	if _, err := a.Read(make([]byte, 1)); !errors.As(err, &oe) || oe.Net != "unix" || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close = %v, want a unix *net.OpError wrapping net.ErrClosed", err)
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("Listener.Close: %v", err)
	}
	if _, err := ln.AcceptConn(testCtx(t)); !errors.As(err, &oe) || oe.Net != "unix" || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close = %v, want a unix *net.OpError wrapping net.ErrClosed", err)
	}
}

// TestUnixHTTP serves net/http on a unix Listener and fetches through a
// Dialer's DialContext "unix" as an http.Transport's dialer.
func TestUnixHTTP(t *testing.T) {
	ln, path := unixListener(t)
	var conns sync.WaitGroup // server-side connections not yet closed
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "hello "+r.URL.Path)
		}),
		ReadHeaderTimeout: testTimeout,
		ConnState: func(_ net.Conn, s http.ConnState) {
			switch s {
			case http.StateNew:
				conns.Add(1)
			case http.StateClosed, http.StateHijacked:
				conns.Done()
			}
		},
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var d Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return d.DialContext(ctx, "unix", path)
	}}
	client := &http.Client{Transport: tr, Timeout: testTimeout}
	for i := 0; i < 2; i++ {
		resp, err := client.Get("http://unix/there")
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || string(body) != "hello /there" {
			t.Fatalf("GET body %q, err %v", body, err)
		}
	}
	tr.CloseIdleConnections()
	_ = ln.Close()
	select {
	case err := <-served:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve returned %v, want an error wrapping net.ErrClosed", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("http.Server.Serve did not return after Listener.Close")
	}
	_ = srv.Close()
	allClosed := make(chan struct{})
	go func() { conns.Wait(); close(allClosed) }()
	select {
	case <-allClosed:
	case <-time.After(testTimeout):
		t.Fatal("server connections still open after Server.Close")
	}
}

// TestUnixListenerRemovesSocketFile: Close removes the socket file that
// ListenUnix made, so the path can be listened on again; a path that
// exists gives ErrAddressInUse and is left alone.
func TestUnixListenerRemovesSocketFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	for i := 0; i < 2; i++ {
		ln, err := ListenUnix(testCtx(t), path)
		if err != nil {
			t.Fatalf("ListenUnix #%d: %v", i, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
			t.Fatalf("socket file after ListenUnix: %v, %v", fi, err)
		}
		if _, err := ListenUnix(testCtx(t), path); !errors.Is(err, ErrAddressInUse) {
			t.Fatalf("ListenUnix on a path in use = %v, want ErrAddressInUse", err)
		}
		unixPair(t, ln, path) // still served
		if err := ln.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("socket file after Close: stat error %v, want not exist", err)
		}
		if err := ln.Close(); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("second Close = %v, want net.ErrClosed", err)
		}
	}
}

// TestUnixBadInput: an empty or too long path, and a local address for a
// unix dial, are *InputErrors in a *net.OpError; the long path's wraps a
// *reactor.UnixPathError matching EINVAL. A path of reactor.MaxUnixPath
// bytes works.
func TestUnixBadInput(t *testing.T) {
	dir := t.TempDir()
	if len(dir)+2 > reactor.MaxUnixPath {
		t.Fatalf("temporary directory %q too long for this test", dir)
	}
	fits := dir + "/" + strings.Repeat("p", reactor.MaxUnixPath-len(dir)-1)
	ln, err := ListenUnix(testCtx(t), fits)
	if err != nil {
		t.Fatalf("ListenUnix on a %d-byte path: %v", len(fits), err)
	}
	unixPair(t, ln, fits)
	_ = ln.Close()

	long := fits + "p"
	var d Dialer
	_, lerr := ListenUnix(testCtx(t), long)
	_, derr := d.DialContext(testCtx(t), "unix", long)
	for op, err := range map[string]error{"ListenUnix": lerr, "DialContext": derr} {
		var pe *reactor.UnixPathError
		var ie *InputError
		var oe *net.OpError
		if !errors.As(err, &pe) || !errors.As(err, &ie) || !errors.As(err, &oe) ||
			!errors.Is(err, ErrInvalidArgument) || !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%s on a %d-byte path = %v, want an *InputError with a *reactor.UnixPathError", op, len(long), err)
		}
	}
	_, lerr = ListenUnix(testCtx(t), "")
	_, derr = d.DialContext(testCtx(t), "unix", "")
	local := Dialer{LocalPort: 1}
	_, berr := local.DialContext(testCtx(t), "unix", fits)
	shared := ListenConfig{ReusePort: true}
	_, rerr := shared.ListenUnix(testCtx(t), fits)
	for what, err := range map[string]error{"ListenUnix empty": lerr, "Dial empty": derr, "Dial with LocalPort": berr,
		"ListenUnix with ReusePort": rerr} {
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Net != "unix" || !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s = %v, want a unix *net.OpError matching ErrInvalidArgument", what, err)
		}
	}
	if _, err := d.DialContext(testCtx(t), "unixgram", fits); err == nil {
		t.Error("DialContext unixgram succeeded")
	}
}
