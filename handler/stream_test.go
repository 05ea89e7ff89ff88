package handler_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/usocket"
)

var errBoom = errors.New("boom")

// lineHandler answers each line with "re:"+line, calling before first; the
// line "err" makes it return errBoom, "panic" makes it panic.
func lineHandler(before func(peer netip.AddrPort, line string)) handler.StreamHandler {
	return func(_ context.Context, c *usocket.Conn, peer netip.AddrPort) error {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			line = strings.TrimSuffix(line, "\n")
			switch line {
			case "err":
				return errBoom
			case "panic":
				panic("boom")
			}
			if before != nil {
				before(peer, line)
			}
			if _, err := c.Write([]byte("re:" + line + "\n")); err != nil {
				return err
			}
		}
	}
}

// eventLog records events in order.
type eventLog struct {
	mu sync.Mutex
	ev []string
}

func (l *eventLog) add(s string) {
	l.mu.Lock()
	l.ev = append(l.ev, s)
	l.mu.Unlock()
}

func (l *eventLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.ev, ", ")
}

func expectLine(t *testing.T, c *client, want string) {
	t.Helper()
	if got := c.line(t); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestSequentialServesOneClientAtATime: client 2 connects and sends while
// client 1 is being served; it gets its answer only after client 1 left.
func TestSequentialServesOneClientAtATime(t *testing.T) {
	var log eventLog
	hook, errs := hookChan()
	s := startStream(t, &handler.StreamServer{
		Handler:   lineHandler(func(_ netip.AddrPort, line string) { log.add("reply " + line) }),
		ErrorHook: hook,
	})
	c1 := dial(t, s.Addr())
	c1.send(t, "a")
	expectLine(t, c1, "re:a")
	c2 := dial(t, s.Addr()) // waits in the backlog
	c2.send(t, "b")
	c1.send(t, "a2")
	expectLine(t, c1, "re:a2")
	log.add("client 1 closed")
	_ = c1.Close()
	expectLine(t, c2, "re:b")
	if got, want := log.String(), "reply a, reply a2, client 1 closed, reply b"; got != want {
		t.Fatalf("events: %s\nwant:   %s", got, want)
	}
	noErr(t, errs)
}

// TestPerConnectionServesAtOnce is the contrast: client 2 is answered while
// client 1 is still connected.
func TestPerConnectionServesAtOnce(t *testing.T) {
	s := startStream(t, &handler.StreamServer{Mode: handler.PerConnection, Handler: lineHandler(nil)})
	c1 := dial(t, s.Addr())
	c1.send(t, "a")
	expectLine(t, c1, "re:a")
	c2 := dial(t, s.Addr())
	c2.send(t, "b")
	expectLine(t, c2, "re:b")
	c1.send(t, "a2")
	expectLine(t, c1, "re:a2")
}

// TestPerConnection200Concurrent: every handler waits on a barrier that
// opens only when all 200 clients are being served at once.
func TestPerConnection200Concurrent(t *testing.T) {
	const n = 200
	var in atomic.Int32
	allIn := make(chan struct{})
	hook, errs := hookChan()
	s := startStream(t, &handler.StreamServer{
		Mode:      handler.PerConnection,
		ErrorHook: hook,
		Handler: func(ctx context.Context, c *usocket.Conn, _ netip.AddrPort) error {
			b := make([]byte, 1)
			if _, err := io.ReadFull(c, b); err != nil {
				return err
			}
			if in.Add(1) == n {
				close(allIn)
			}
			select {
			case <-allIn:
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
				return errors.New("barrier not reached")
			}
			_, err := c.Write(append(b, '\n'))
			return err
		},
	})
	results := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			results <- oneExchange(s.Addr(), fmt.Sprint(i%10))
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-results; err != nil {
			t.Error(err)
		}
	}
	if got := in.Load(); got != n {
		t.Fatalf("%d handlers ran, want %d", got, n)
	}
	noErr(t, errs)
}

// oneExchange connects, sends one byte and expects it back with a newline.
func oneExchange(addr net.Addr, b string) error {
	c, err := net.DialTimeout("tcp", addr.String(), wait)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	if _, err := c.Write([]byte(b)); err != nil {
		return err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if got != b+"\n" {
		return fmt.Errorf("got %q, want %q", got, b)
	}
	return nil
}

// TestHandlerErrorAndPanic: the hook gets a *HandlerError naming the peer,
// the client's connection is closed, and the server goes on.
func TestHandlerErrorAndPanic(t *testing.T) {
	for _, mode := range []handler.Mode{handler.Sequential, handler.PerConnection} {
		t.Run(mode.String(), func(t *testing.T) {
			hook, errs := hookChan()
			s := startStream(t, &handler.StreamServer{Mode: mode, Handler: lineHandler(nil), ErrorHook: hook})

			c := dial(t, s.Addr())
			c.send(t, "err")
			if _, err := c.tryLine(); !errors.Is(err, io.EOF) {
				t.Fatalf("after a handler error the client read %v, want EOF", err)
			}
			err := nextErr(t, errs)
			var he *handler.HandlerError
			if !errors.As(err, &he) || !errors.Is(err, errBoom) || he.Peer != c.localPort() {
				t.Fatalf("hooked %#v, want a HandlerError for %v wrapping errBoom", err, c.localPort())
			}

			c = dial(t, s.Addr())
			c.send(t, "panic")
			if _, err := c.tryLine(); !errors.Is(err, io.EOF) {
				t.Fatalf("after a panic the client read %v, want EOF", err)
			}
			var pe *handler.PanicError
			if err := nextErr(t, errs); !errors.As(err, &pe) || pe.Value != "boom" || len(pe.Stack) == 0 {
				t.Fatalf("hooked %v, want a PanicError", err)
			}

			c = dial(t, s.Addr())
			c.send(t, "still there")
			expectLine(t, c, "re:still there")
			noErr(t, errs)
		})
	}
}

// TestStreamShutdownWaitsForHandlers: Shutdown stops accepting, lets the
// running handlers finish and reply, and frees the port.
func TestStreamShutdownWaitsForHandlers(t *testing.T) {
	for _, mode := range []handler.Mode{handler.Sequential, handler.PerConnection} {
		t.Run(mode.String(), func(t *testing.T) {
			release := make(chan struct{})
			started := make(chan struct{}, 3)
			hook, errs := hookChan()
			s := startStream(t, &handler.StreamServer{Mode: mode, ErrorHook: hook,
				Handler: func(ctx context.Context, c *usocket.Conn, _ netip.AddrPort) error {
					if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
						return err
					}
					started <- struct{}{}
					select {
					case <-release:
					case <-ctx.Done():
						return ctx.Err()
					}
					_, err := c.Write([]byte("done\n"))
					return err
				}})
			n := 3
			if mode == handler.Sequential {
				n = 1
			}
			var cs []*client
			for i := 0; i < n; i++ {
				c := dial(t, s.Addr())
				c.send(t, "go")
				cs = append(cs, c)
			}
			for i := 0; i < n; i++ {
				<-started
			}
			shut := shutdownPending(t, s)
			close(release)
			for _, c := range cs {
				expectLine(t, c, "done")
				if _, err := c.tryLine(); !errors.Is(err, io.EOF) {
					t.Fatalf("after the reply: %v, want EOF", err)
				}
			}
			if err := <-shut; err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			<-s.Done()
			if !errors.Is(s.Err(), handler.ErrServerClosed) {
				t.Fatalf("Err = %v", s.Err())
			}
			if _, err := net.DialTimeout("tcp", s.Addr().String(), wait); err == nil {
				t.Fatal("connect after Shutdown succeeded")
			}
			ln, err := usocket.Listen(context.Background(), "127.0.0.1", portOf(s.Addr()))
			if err != nil {
				t.Fatalf("port not free after Shutdown: %v", err)
			}
			_ = ln.Close()
			noErr(t, errs)
		})
	}
}

// TestStreamShutdownDeadline: handlers that do not finish in time are
// closed; Shutdown reports the context's error and nothing else is hooked.
func TestStreamShutdownDeadline(t *testing.T) {
	started := make(chan struct{}, 1)
	hook, errs := hookChan()
	s := startStream(t, &handler.StreamServer{Mode: handler.PerConnection, ErrorHook: hook,
		Handler: func(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
			started <- struct{}{}
			_, err := io.Copy(io.Discard, c) // blocks until the server closes c
			return err
		}})
	c := dial(t, s.Addr())
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	select {
	case <-s.Done():
	case <-time.After(wait):
		t.Fatal("handler still running after a forced shutdown")
	}
	if _, err := c.tryLine(); !errors.Is(err, io.EOF) {
		t.Fatalf("client read %v, want EOF", err)
	}
	if err := s.Close(); !errors.Is(err, handler.ErrServerClosed) {
		t.Fatalf("second Close = %v", err)
	}
	noErr(t, errs)
}

func TestStreamBindErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := portOf(busy.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	h := lineHandler(nil)

	if _, err := (&handler.StreamServer{Host: "127.0.0.1", Port: port, Handler: h}).Start(ctx); !errors.Is(err, usocket.ErrAddressInUse) {
		t.Errorf("Start on a busy port: %v", err)
	}
	if err := (&handler.StreamServer{Host: "127.0.0.1", Port: port, Handler: h}).ListenAndServe(ctx); !errors.Is(err, usocket.ErrAddressInUse) {
		t.Errorf("ListenAndServe on a busy port: %v", err)
	}
	if _, err := (&handler.StreamServer{Host: "192.0.2.1", Handler: h}).Start(ctx); !errors.Is(err, usocket.ErrAddressNotAvailable) {
		t.Errorf("Start on a foreign address: %v", err)
	}
	if _, err := (&handler.StreamServer{Host: "127.0.0.1", Port: 70000, Handler: h}).Start(ctx); !errors.Is(err, usocket.ErrInvalidArgument) {
		t.Errorf("Start on port 70000: %v", err)
	}
	if _, err := (&handler.StreamServer{Host: "127.0.0.1"}).Start(ctx); !errors.Is(err, handler.ErrNilHandler) {
		t.Errorf("Start without handler: %v", err)
	}
	var ce *handler.ConfigError
	if _, err := (&handler.StreamServer{Host: "127.0.0.1", Mode: 7, Handler: h}).Start(ctx); !errors.As(err, &ce) {
		t.Errorf("Start with Mode 7: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("a bind error took until the context ended")
	}
}

// TestStreamListenAndServe runs the blocking form in a goroutine: it
// serves, and returns the context's error once stopped and drained.
func TestStreamListenAndServe(t *testing.T) {
	port := freePort(t, "tcp")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() {
		served <- (&handler.StreamServer{Host: "127.0.0.1", Port: port, Handler: lineHandler(nil)}).ListenAndServe(ctx)
	}()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
	c := dialRetry(t, addr, served)
	c.send(t, "x")
	expectLine(t, c, "re:x")
	cancel()
	select {
	case err := <-served:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ListenAndServe = %v", err)
		}
	case <-time.After(wait):
		t.Fatal("ListenAndServe did not return after its context ended")
	}
	if _, err := c.tryLine(); !errors.Is(err, io.EOF) {
		t.Fatalf("client read %v after the stop, want EOF", err)
	}
}

// freePort finds a port that is free now (for the blocking form, which
// cannot report the port it got).
func freePort(t *testing.T, network string) int {
	t.Helper()
	if network == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return portOf(c.LocalAddr())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return portOf(ln.Addr())
}

// dialRetry connects once the server in another goroutine listens; it
// fails if that server returned.
func dialRetry(t *testing.T, addr net.Addr, served <-chan error) *client {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		select {
		case err := <-served:
			t.Fatalf("server returned %v", err)
		default:
		}
		c, err := net.DialTimeout("tcp", addr.String(), wait)
		if err == nil {
			t.Cleanup(func() { _ = c.Close() })
			return &client{Conn: c, r: bufio.NewReader(c)}
		}
	}
	t.Fatal("server never listened")
	return nil
}
