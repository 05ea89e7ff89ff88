package handler_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/usocket"
)

// TestSequentialSilentClientTimesOut: a client that connects and says
// nothing no longer holds a Sequential server for ever: after the idle or
// read timeout it is disconnected and the next client is served.
func TestSequentialSilentClientTimesOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		sv   handler.StreamServer
		want error
	}{
		{"idle", handler.StreamServer{IdleTimeout: 200 * time.Millisecond}, handler.ErrIdleTimeout},
		{"read", handler.StreamServer{ReadTimeout: 200 * time.Millisecond}, os.ErrDeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hook, errs := hookChan()
			sv := tc.sv
			sv.Handler, sv.ErrorHook = handler.EchoStream, hook
			s := startStream(t, &sv)
			silent := dial(t, s.Addr())
			// The silent client is being served (the handler reads) before
			// the next one connects.
			next := dial(t, s.Addr())
			next.send(t, "hello")
			if got := next.line(t); got != "hello" {
				t.Fatalf("next client got %q", got)
			}
			if _, err := silent.tryLine(); err == nil || isNetTimeout(err) {
				t.Fatalf("silent client read %v, want it disconnected", err)
			}
			err := nextErr(t, errs)
			var he *handler.HandlerError
			if !errors.As(err, &he) || he.Peer != silent.localPort() || !errors.Is(err, tc.want) {
				t.Fatalf("hooked %v, want a *HandlerError for %v matching %v", err, silent.localPort(), tc.want)
			}
		})
	}
}

// TestWriteTimeoutUnblocksStuckWrite: a handler writing to a client that
// never reads is unblocked by the server's WriteTimeout.
func TestWriteTimeoutUnblocksStuckWrite(t *testing.T) {
	hook, errs := hookChan()
	s := startStream(t, &handler.StreamServer{WriteTimeout: 200 * time.Millisecond, ErrorHook: hook,
		Handler: func(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
			buf := make([]byte, 64<<10)
			for {
				if _, err := c.Write(buf); err != nil {
					return err
				}
			}
		}})
	c := dial(t, s.Addr())
	err := nextErr(t, errs)
	if !errors.Is(err, os.ErrDeadlineExceeded) || !isNetTimeout(err) {
		t.Fatalf("hooked %v, want a write timeout", err)
	}
	// The connection was closed: the client drains what reached it, then
	// sees the end.
	_ = c.SetReadDeadline(time.Now().Add(wait))
	if _, err := io.Copy(io.Discard, c); isNetTimeout(err) {
		t.Fatalf("client still connected: %v", err)
	}
}

// TestStreamTimeoutsConfigErrors: negative timeouts are refused.
func TestStreamTimeoutsConfigErrors(t *testing.T) {
	for _, sv := range []handler.StreamServer{
		{ReadTimeout: -1}, {WriteTimeout: -1}, {IdleTimeout: -1},
	} {
		sv.Host, sv.Handler = "127.0.0.1", handler.EchoStream
		s, err := sv.Start(context.Background())
		var ce *handler.ConfigError
		if !errors.As(err, &ce) {
			if s != nil {
				closeAndWait(t, s)
			}
			t.Fatalf("%+v: Start = %v, want a *ConfigError", sv, err)
		}
	}
}

// TestDatagramHandlerTimeout: a handler that outlives HandlerTimeout has its
// reply dropped and reported; its context ends at the timeout, and the
// server goes on with the next request.
func TestDatagramHandlerTimeout(t *testing.T) {
	hook, errs := hookChan()
	s := startDatagram(t, &handler.DatagramServer{HandlerTimeout: 100 * time.Millisecond, ErrorHook: hook,
		Handler: func(ctx context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
			if string(req) == "slow" {
				<-ctx.Done() // bounded by the test: the server's Close ends it
				return []byte("late"), nil
			}
			return req, nil
		}})
	c := udpClient(t, s.Addr())
	sendUDP(t, c, []byte("slow"))
	err := nextErr(t, errs)
	var he *handler.HandlerError
	if !errors.As(err, &he) || !errors.Is(err, handler.ErrHandlerTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hooked %v, want ErrHandlerTimeout", err)
	}
	// Sequential: had the late reply been sent, it would come first.
	sendUDP(t, c, []byte("fast"))
	if got := recvUDP(t, c); got != "fast" {
		t.Fatalf("got %q, want the late reply dropped", got)
	}
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
