package usocket

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestListenAddressInUse(t *testing.T) {
	ln := newLocalListener(t)
	_, err := Listen(testCtx(t), "127.0.0.1", int(ln.AddrPort().Port()))
	var oe *net.OpError
	var se *os.SyscallError
	if !errors.As(err, &oe) || !errors.Is(err, ErrAddressInUse) || !errors.Is(err, syscall.EADDRINUSE) || !errors.As(err, &se) {
		t.Fatalf("err = %v, want *net.OpError matching ErrAddressInUse and EADDRINUSE", err)
	}
}

func TestListenBadInput(t *testing.T) {
	for _, port := range []int{-1, 70000} {
		if _, err := Listen(testCtx(t), "127.0.0.1", port); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Listen port %d: %v", port, err)
		}
	}
	lc := ListenConfig{Backlog: -1}
	if _, err := lc.Listen(testCtx(t), "127.0.0.1", 0); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Backlog -1: %v", err)
	}
	if _, err := Listen(testCtx(t), "no-such-host.invalid", 0); !errors.Is(err, ErrHostNotFound) {
		t.Errorf("bad host: %v", err)
	}
}

// TestListenWildcard: WildcardHost binds every IPv4 address and AutoPort
// picks a port that Addr reports.
func TestListenWildcard(t *testing.T) {
	ln, err := Listen(testCtx(t), WildcardHost, AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ap := ln.AddrPort()
	if !ap.Addr().IsUnspecified() || !ap.Addr().Is4() || ap.Port() == 0 {
		t.Fatalf("AddrPort = %v, want 0.0.0.0 and a real port", ap)
	}
	c, err := Connect(testCtx(t), "127.0.0.1", int(ap.Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Close()
}

func TestAcceptAfterClose(t *testing.T) {
	ln := newLocalListener(t)
	errc := make(chan error, 1)
	go func() { _, err := ln.Accept(); errc <- err }()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Op != "accept" || !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Accept after Close = %v", err)
		}
		if oe.Temporary() {
			t.Error("Accept after Close reports Temporary, http.Serve would spin")
		}
	case <-time.After(testTimeout):
		t.Fatal("Accept not woken by Close")
	}
	if err := ln.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close = %v", err)
	}
}

func TestAcceptDeadline(t *testing.T) {
	ln := newLocalListener(t)
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() { close(started); _, err := ln.Accept(); errc <- err }()
	<-started
	_ = ln.SetDeadline(time.Now().Add(20 * time.Millisecond))
	select {
	case err := <-errc:
		checkTimeout(t, err)
	case <-time.After(testTimeout):
		t.Fatal("Accept not woken by its deadline")
	}
	_ = ln.SetDeadline(time.Time{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ln.AcceptConn(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("AcceptConn with an expiring ctx = %v", err)
	}
}

// TestAcceptBacklog: connections made while nobody accepts wait in the
// kernel backlog, and Accept then takes every one of them.
func TestAcceptBacklog(t *testing.T) {
	ln := newLocalListener(t)
	const n = 96
	var dialled []*Conn
	defer func() {
		for _, c := range dialled {
			_ = c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		c, err := Connect(testCtx(t), "127.0.0.1", int(ln.AddrPort().Port()))
		if err != nil {
			t.Fatal(err)
		}
		dialled = append(dialled, c)
	}
	for i := 0; i < n; i++ {
		c, err := ln.AcceptConn(testCtx(t))
		if err != nil {
			t.Fatalf("accept %d: %v", i, err)
		}
		_ = c.Close()
	}
	if ln.Ready() {
		t.Error("listener Ready with an empty backlog")
	}
}

func TestListenerOptions(t *testing.T) {
	ln := newLocalListener(t)
	if v, err := ln.Option(":reuse-address"); err != nil || v != true {
		t.Errorf("reuse-address = %v, %v", v, err)
	}
	if err := ln.SetOption(OptionReuseAddress, false); !errors.Is(err, ErrUnsupported) {
		t.Errorf("SetOption(reuse-address) = %v", err)
	}
	if _, err := ln.Option(OptionTCPNoDelay); !errors.Is(err, ErrUnimplemented) {
		t.Errorf("Option(tcp-nodelay) on a listener = %v", err)
	}
	lc := ListenConfig{ReuseAddress: new(false), Backlog: 8}
	ln2, err := lc.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil && netUnsupported(t, err) { // no backlog but the standard library's
		lc.Backlog = 0
		ln2, err = lc.Listen(testCtx(t), "127.0.0.1", 0)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	if ln2.ReuseAddress() {
		t.Error("ReuseAddress true after new(false)")
	}
}
