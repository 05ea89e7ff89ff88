package udp

import (
	"context"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

func TestOversizedSend(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	cl := dial(t, srv.LocalAddrPort())
	big := make([]byte, MaxDatagramSize+1)
	_, err := cl.Send(big, netip.AddrPort{})
	checkOpError(t, err, ErrDatagramTooLarge, usocket.ErrInvalidArgument)
	_, err = srv.Send(big, cl.LocalAddrPort())
	checkOpError(t, err, ErrDatagramTooLarge)
	_, err = cl.Write(big)
	checkOpError(t, err, ErrDatagramTooLarge)
}

func TestUseAfterClose(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	cl := dial(t, srv.LocalAddrPort())
	if err := cl.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_, err := cl.Send([]byte("x"), netip.AddrPort{})
	checkOpError(t, err, net.ErrClosed, usocket.ErrInvalidSocket)
	_, err = cl.Write([]byte("x"))
	checkOpError(t, err, net.ErrClosed)
	_, _, _, err = cl.Receive(make([]byte, 8))
	checkOpError(t, err, net.ErrClosed)
	_, _, err = cl.ReadFrom(make([]byte, 8))
	checkOpError(t, err, net.ErrClosed)
	checkOpError(t, cl.Close(), net.ErrClosed)
	checkOpError(t, cl.SetReadDeadline(time.Now()), net.ErrClosed)
	checkOpError(t, cl.SetBroadcast(true), net.ErrClosed)
	checkOpError(t, cl.Control(func(uintptr) { t.Error("Control ran after Close") }), net.ErrClosed)
	if !cl.Ready() {
		t.Error("a closed socket must be Ready")
	}
}

func TestBadAddresses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, port := range []int{-1, 65536} {
		_, err := Dial(ctx, "127.0.0.1", port)
		checkOpError(t, err, usocket.ErrInvalidArgument)
		_, err = Listen(ctx, "127.0.0.1", port)
		checkOpError(t, err, usocket.ErrInvalidArgument)
	}
	_, err := Dial(ctx, "", 9)
	checkOpError(t, err, usocket.ErrInvalidArgument)
	// Not a valid host name: rejected without a DNS query.
	_, err = Dial(ctx, "bad..host", 9)
	checkOpError(t, err, usocket.ErrHostNotFound)
	_, err = Listen(ctx, "256.0.0.1", 0)
	if err == nil {
		t.Fatal("Listen on 256.0.0.1 succeeded")
	}
	cfg := Config{ReadTimeout: -1}
	_, err = cfg.Listen(ctx, "127.0.0.1", 0)
	checkOpError(t, err, usocket.ErrInvalidArgument)

	v4 := listen(t, "127.0.0.1")
	// An IPv6 peer for an IPv4 socket, and the zero address.
	_, err = v4.Send([]byte("x"), netip.MustParseAddrPort("[::1]:9"))
	checkOpError(t, err, usocket.ErrInvalidArgument)
	_, err = v4.WriteTo([]byte("x"), nil)
	checkOpError(t, err, usocket.ErrInvalidArgument)
	_, err = v4.WriteTo([]byte("x"), &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)})
	checkOpError(t, err, usocket.ErrInvalidArgument)
	// An unconnected socket with no peer: the kernel's EDESTADDRREQ.
	_, err = v4.Send([]byte("x"), netip.AddrPort{})
	checkOpError(t, err, usocket.ErrInvalidArgument, syscall.EDESTADDRREQ)
	_, err = v4.Write([]byte("x"))
	checkOpError(t, err, ErrNotConnected)
	_, err = v4.Read(make([]byte, 8))
	checkOpError(t, err, ErrNotConnected)
	checkOpError(t, v4.SetReadTimeout(-time.Second), usocket.ErrInvalidArgument)
}

func TestSendToPeerOnConnected(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	cl := dial(t, srv.LocalAddrPort())
	_, err := cl.Send([]byte("x"), srv.LocalAddrPort())
	checkOpError(t, err, net.ErrWriteToConnected, usocket.ErrInvalidArgument)
	_, err = cl.WriteTo([]byte("x"), srv.LocalAddr())
	checkOpError(t, err, net.ErrWriteToConnected)
}

func TestBindConflict(t *testing.T) {
	ctx := testCtx(t)
	first := listen(t, "127.0.0.1")
	port := int(first.LocalAddrPort().Port())
	c, err := Listen(ctx, "127.0.0.1", port)
	if err == nil {
		c.Close()
		t.Fatal("second Listen on a bound port succeeded")
	}
	checkOpError(t, err, usocket.ErrAddressInUse, syscall.EADDRINUSE)

	// With SO_REUSEPORT asked for on both, sharing works.
	cfg := Config{ReusePort: true}
	a, err := cfg.Listen(ctx, "127.0.0.1", 0)
	if err != nil {
		t.Fatalf("Listen with ReusePort: %v", err)
	}
	defer a.Close()
	b, err := cfg.Listen(ctx, "127.0.0.1", int(a.LocalAddrPort().Port()))
	if err != nil {
		t.Fatalf("second Listen with ReusePort: %v", err)
	}
	b.Close()
}

func TestConnectionRefused(t *testing.T) {
	tmp := listen(t, "127.0.0.1")
	closedPort := tmp.LocalAddrPort()
	if err := tmp.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	cl := dial(t, closedPort)
	deadlineIn(t, cl, 10*time.Second)
	if _, err := cl.Write([]byte("anyone?")); err != nil {
		t.Fatalf("first Write: %v", err)
	}
	_, _, _, err := cl.Receive(make([]byte, 16))
	checkOpError(t, err, usocket.ErrConnectionRefused, syscall.ECONNREFUSED)
	if usocket.ConditionName(err) != "connection-refused-error" {
		t.Errorf("ConditionName = %q", usocket.ConditionName(err))
	}
}

func TestReactorStopWakesAndCloses(t *testing.T) {
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Reactor: r}
	c, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		r.Close()
		t.Fatalf("Listen: %v", err)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, _, err := c.Receive(make([]byte, 8))
		errc <- err
	}()
	if err := r.Close(); err != nil {
		t.Fatalf("reactor Close: %v", err)
	}
	select {
	case err := <-errc:
		checkOpError(t, err, net.ErrClosed)
	case <-time.After(10 * time.Second):
		t.Fatal("Receive not woken by the reactor stopping")
	}
	_, err = c.Send([]byte("x"), netip.MustParseAddrPort("127.0.0.1:9"))
	checkOpError(t, err, net.ErrClosed)
	_, err = cfg.Listen(testCtx(t), "127.0.0.1", 0)
	checkOpError(t, err, net.ErrClosed)
	// The reactor already closed the socket: Close says so, and returns.
	checkOpError(t, c.Close(), net.ErrClosed)
}
