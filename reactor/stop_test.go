//go:build unix

package reactor

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

// fdSnapshot records the open fds after making sure the Go runtime's own
// netpoller exists (it is created once, on first use, and never closed).
func fdSnapshot(t *testing.T) map[int]string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	fds, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	return fds
}

func checkNoLeaks(t *testing.T, before map[int]string) {
	t.Helper()
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := testkit.FDDiff(before, after); len(diff) > 0 {
		t.Errorf("fds left open: %q", diff)
	}
	if err := goleak.Find(); err != nil {
		t.Errorf("goroutines left: %v", err)
	}
}

func TestCloseReleasesEverythingAndLaterCallsFail(t *testing.T) {
	before := fdSnapshot(t)
	sink := &hookSink{ch: make(chan error, 16)}
	r, err := New(WithLoops(2), WithErrorHook(sink.hook))
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *Conn, 1)
	connClosed := make(chan error, 1)
	h := echo()
	h.open = func(c *Conn) { opened <- c }
	h.close = func(c *Conn, err error) { connClosed <- err }
	ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	client := dial(t, ln.Addr())
	echoRoundTrip(t, client, "before stop")
	sc := recv(t, opened, "OnOpen")
	if _, err := sc.AfterFunc(time.Hour, func() {}); err != nil {
		t.Fatal(err)
	}
	wfd, peer := socketPair(t)
	watchClosed := make(chan error, 1)
	w, err := r.Watch(wfd, &fdFuncs{close: func(_ *Watcher, err error) { watchClosed <- err }})
	watching := !watchRefused(t, err, wfd)
	if watching && err != nil {
		t.Fatal(err)
	}

	within(t, "Close", func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := recv(t, connClosed, "conn OnClose"); !isClosedErr(err) {
		t.Errorf("conn OnClose(%v) at reactor Close, want net.ErrClosed", err)
	}
	if watching {
		if err := recv(t, watchClosed, "watcher OnClose"); !isClosedErr(err) {
			t.Errorf("watcher OnClose(%v) at reactor Close, want net.ErrClosed", err)
		}
	}
	if b, err := io.ReadAll(client); len(b) != 0 {
		t.Errorf("client read %q, %v after reactor Close", b, err)
	}
	_ = client.Close()
	_ = peer.Close()

	// Dial and Attach need something to connect to; the kernel completes
	// connections in the backlog, so nothing has to accept them.
	std, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer std.Close()
	spare, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(spare, true); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"Close again":      r.Close,
		"Shutdown":         func() error { return r.Shutdown(context.Background()) },
		"Conn.Write":       func() error { _, err := sc.Write([]byte("x")); return err },
		"Conn.Close":       sc.Close,
		"Conn.Abort":       sc.Abort,
		"Conn.CloseWrite":  sc.CloseWrite,
		"Conn.PauseRead":   sc.PauseRead,
		"Conn.ResumeRead":  sc.ResumeRead,
		"Conn.Execute":     func() error { return sc.Execute(func() {}) },
		"Conn.AfterFunc":   func() error { _, err := sc.AfterFunc(0, func() {}); return err },
		"Conn.Control":     func() error { return sc.Control(func(uintptr) {}) },
		"Listener.Pause":   ln.PauseAccept,
		"Listener.Resume":  ln.ResumeAccept,
		"Watcher.Close":    w.Close,
		"Watcher.Execute":  func() error { return w.Execute(func() {}) },
		"Watcher.Interest": func() error { return w.SetInterest(true, true) },
		"Listen": func() error {
			_, err := r.Listen(context.Background(), "tcp4", "127.0.0.1:0", echo())
			return err
		},
		"Dial": func() error {
			_, err := r.Dial(context.Background(), "tcp4", std.Addr().String(), echo())
			return err
		},
		"Attach": func() error {
			nc, err := net.Dial("tcp4", std.Addr().String())
			if err != nil {
				return err
			}
			_, err = r.Attach(nc, echo())
			return err
		},
		"Watch": func() error { _, err := r.Watch(spare, &fdFuncs{}); return err },
	}
	if !watching { // the net backend: no watchers, and Watch is refused first
		for _, name := range []string{"Watcher.Close", "Watcher.Execute", "Watcher.Interest", "Watch"} {
			delete(calls, name)
		}
		_, err := r.Watch(spare, &fdFuncs{})
		netUnsupported(t, err)
	}
	for name, call := range calls {
		within(t, name, func() {
			if err := call(); !isClosedErr(err) {
				t.Errorf("%s after Close = %v, want an error matching net.ErrClosed", name, err)
			}
		})
	}
	within(t, "Listener.Close", func() { _ = ln.Close() })
	if err := ln.Close(); !isClosedErr(err) {
		t.Errorf("second Listener.Close = %v, want net.ErrClosed", err)
	}
	if n := r.NumConns(); n != 0 {
		t.Errorf("NumConns after Close = %d", n)
	}
	_ = unix.Close(spare) // Watch failed, so the fd is still ours
	_ = std.Close()
	if len(sink.ch) > 0 {
		t.Errorf("hook got %v", <-sink.ch)
	}
	checkNoLeaks(t, before)
}

func TestShutdownFlushesAndWaits(t *testing.T) {
	const clients, greeting = 3, 1 << 20
	before := fdSnapshot(t)
	r, err := New(WithLoops(2), WithErrorHook(func(err error) { t.Errorf("hook: %v", err) }))
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{}, clients)
	closed := make(chan error, clients)
	h := &funcs{
		open: func(c *Conn) {
			_, _ = c.Write(make([]byte, greeting))
			opened <- struct{}{}
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make(chan int, clients)
	for i := 0; i < clients; i++ {
		c := dial(t, ln.Addr())
		recv(t, opened, "OnOpen")
		wg.Add(1)
		go func() { // a client that reads to EOF, then closes
			defer wg.Done()
			b, _ := io.ReadAll(c)
			got <- len(b)
			_ = c.Close()
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	within(t, "Shutdown", func() {
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	wg.Wait()
	for i := 0; i < clients; i++ {
		if n := recv(t, got, "client result"); n != greeting {
			t.Errorf("client read %d bytes before EOF, want %d (Shutdown must flush)", n, greeting)
		}
		if err := recv(t, closed, "OnClose"); err != nil {
			t.Errorf("OnClose(%v) in a graceful Shutdown, want nil", err)
		}
	}
	if err := ln.Close(); err != nil && !isClosedErr(err) {
		t.Errorf("Listener.Close after Shutdown: %v", err)
	}
	checkNoLeaks(t, before)
}

func TestShutdownGivesUpWhenContextEnds(t *testing.T) {
	before := fdSnapshot(t)
	r, err := New(WithLoops(1), WithErrorHook(func(err error) { t.Errorf("hook: %v", err) }))
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	h := echo()
	h.close = func(c *Conn, err error) { closed <- err }
	ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, ln.Addr()) // never closes its side until Shutdown returns
	echoRoundTrip(t, c, "hi")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	within(t, "Shutdown", func() {
		if err := r.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want context.DeadlineExceeded", err)
		}
	})
	if err := recv(t, closed, "OnClose"); !isClosedErr(err) {
		t.Errorf("OnClose(%v) when Shutdown gave up, want net.ErrClosed", err)
	}
	_ = c.Close()
	checkNoLeaks(t, before)
}

func TestDefaultStartsLazilyAndCloses(t *testing.T) {
	r1, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Default()
	if err != nil || r1 != r2 {
		t.Fatalf("Default twice gave %p, %p (%v); want the same reactor", r1, r2, err)
	}
	if r1.Loops() < 1 {
		t.Fatalf("default reactor has %d loops", r1.Loops())
	}
	if err := CloseDefault(); err != nil {
		t.Fatal(err)
	}
	if _, err := r1.Listen(context.Background(), "tcp4", "127.0.0.1:0", echo()); !isClosedErr(err) {
		t.Fatalf("Listen on the closed default = %v, want net.ErrClosed", err)
	}
	r3, err := Default()
	if err != nil || r3 == r1 {
		t.Fatalf("Default after CloseDefault gave %p (%v); want a new reactor", r3, err)
	}
	if err := CloseDefault(); err != nil {
		t.Fatal(err)
	}
	if err := CloseDefault(); err != nil {
		t.Fatalf("CloseDefault with none running = %v", err)
	}
}
