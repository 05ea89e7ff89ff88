package handler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/udp"
)

// udpClient is a connected stdlib UDP socket.
func udpClient(t *testing.T, addr net.Addr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, addr.(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func sendUDP(t *testing.T, c *net.UDPConn, b []byte) {
	t.Helper()
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
}

// recvUDP reads one datagram within wait.
func recvUDP(t *testing.T, c *net.UDPConn) string {
	t.Helper()
	buf := make([]byte, 70000)
	_ = c.SetReadDeadline(time.Now().Add(wait))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf[:n])
}

// testDatagramHandler echoes, except: "quiet" gets no reply, "big" a reply
// over the datagram limit, "err" an error, "panic" a panic.
func testDatagramHandler(_ context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
	switch string(req) {
	case "quiet":
		return nil, nil
	case "big":
		return make([]byte, udp.MaxDatagramSize+1), nil
	case "err":
		return []byte("never sent"), errBoom
	case "panic":
		panic("boom")
	}
	return req, nil
}

func TestDatagramReplies(t *testing.T) {
	for _, mode := range []handler.Mode{handler.Sequential, handler.PerConnection} {
		t.Run(mode.String(), func(t *testing.T) {
			hook, errs := hookChan()
			s := startDatagram(t, &handler.DatagramServer{Mode: mode, Handler: testDatagramHandler,
				ErrorHook: hook, MaxBufferSize: 64})
			c := udpClient(t, s.Addr())
			peer := c.LocalAddr().(*net.UDPAddr).AddrPort()

			// A nil reply sends nothing: the next datagram the client gets
			// is the answer to the request after it.
			sendUDP(t, c, []byte("quiet"))
			sendUDP(t, c, []byte("one"))
			if got := recvUDP(t, c); got != "one" {
				t.Fatalf("got %q, want only the reply to %q", got, "one")
			}

			// An empty request gets an empty reply (it is not nil).
			sendUDP(t, c, nil)
			if got := recvUDP(t, c); got != "" {
				t.Fatalf("empty request answered %q", got)
			}

			checks := []struct {
				req   string
				check func(error) bool
			}{
				{"big", func(err error) bool {
					return errors.Is(err, handler.ErrReplyTooLarge) && errors.Is(err, udp.ErrDatagramTooLarge)
				}},
				{"err", func(err error) bool { return errors.Is(err, errBoom) }},
				{"panic", func(err error) bool {
					var pe *handler.PanicError
					return errors.As(err, &pe) && pe.Value == "boom"
				}},
				{strings.Repeat("x", 65), func(err error) bool { return errors.Is(err, handler.ErrRequestTooLarge) }},
			}
			for _, tc := range checks {
				sendUDP(t, c, []byte(tc.req))
				err := nextErr(t, errs)
				var he *handler.HandlerError
				if !errors.As(err, &he) || he.Peer != peer || !tc.check(err) {
					t.Fatalf("request %.10q: hooked %v", tc.req, err)
				}
				// Nothing was sent back, and the server goes on.
				sendUDP(t, c, []byte("next"))
				if got := recvUDP(t, c); got != "next" {
					t.Fatalf("after %.10q got %.20q", tc.req, got)
				}
			}
			noErr(t, errs)
		})
	}
}

// TestDatagramManyPeers: 10,000 requests from 20 peers, each answered to
// the peer that sent it. A lost datagram is sent again.
func TestDatagramManyPeers(t *testing.T) {
	for _, mode := range []handler.Mode{handler.Sequential, handler.PerConnection} {
		t.Run(mode.String(), func(t *testing.T) {
			hook, errs := hookChan()
			s := startDatagram(t, &handler.DatagramServer{Mode: mode, Handler: handler.EchoDatagram, ErrorHook: hook})
			const peers, each = 20, 500
			var wg sync.WaitGroup
			fails := make(chan error, peers)
			for p := 0; p < peers; p++ {
				c := udpClient(t, s.Addr())
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := exchangeMany(c, p, each); err != nil {
						fails <- err
					}
				}()
			}
			wg.Wait()
			close(fails)
			for err := range fails {
				t.Error(err)
			}
			noErr(t, errs)
		})
	}
}

// exchangeMany sends n numbered requests one after another, resending after
// a short wait for a lost one (or while the server is not bound yet), and
// checks every reply is its own.
func exchangeMany(c *net.UDPConn, peer, n int) error {
	deadline := time.Now().Add(wait)
	buf := make([]byte, 128)
	for i := 0; i < n; i++ {
		req := []byte(fmt.Sprintf("peer %d request %d", peer, i))
	send:
		if time.Now().After(deadline) {
			return fmt.Errorf("peer %d: request %d unanswered", peer, i)
		}
		if _, err := c.Write(req); err != nil {
			return err
		}
		for {
			_ = c.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
			k, err := c.Read(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					goto send // lost: send again
				}
				if errors.Is(err, syscall.ECONNREFUSED) {
					goto send // the server is not bound yet
				}
				return err
			}
			got := buf[:k]
			if bytes.Equal(got, req) {
				break
			}
			var p, j int
			if _, err := fmt.Sscanf(string(got), "peer %d request %d", &p, &j); err != nil || p != peer || j > i {
				return fmt.Errorf("peer %d got %q", peer, got)
			}
			// A late answer to an earlier, resent request: skip it.
		}
	}
	return nil
}

// TestDatagramShutdownWaitsForHandlers: running handlers finish and their
// replies are sent; then the socket is closed and its port is free.
func TestDatagramShutdownWaitsForHandlers(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 3)
	hook, errs := hookChan()
	s := startDatagram(t, &handler.DatagramServer{Mode: handler.PerConnection, ErrorHook: hook,
		Handler: func(ctx context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
			started <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return append([]byte("done "), req...), nil
		}})
	var cs []*net.UDPConn
	for i := 0; i < 3; i++ {
		c := udpClient(t, s.Addr())
		sendUDP(t, c, []byte(fmt.Sprint(i)))
		cs = append(cs, c)
	}
	for i := 0; i < 3; i++ {
		<-started
	}
	shut := shutdownPending(t, s)
	close(release)
	for i, c := range cs {
		if got, want := recvUDP(t, c), fmt.Sprint("done ", i); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	<-s.Done()
	pc, err := udp.Listen(context.Background(), "127.0.0.1", portOf(s.Addr()))
	if err != nil {
		t.Fatalf("port not free after Shutdown: %v", err)
	}
	_ = pc.Close()
	noErr(t, errs)
}

func TestDatagramBindAndConfigErrors(t *testing.T) {
	busy, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	h := handler.EchoDatagram
	d := handler.DatagramServer{Host: "127.0.0.1", Port: portOf(busy.LocalAddr()), Handler: h}
	if _, err := d.Start(ctx); err == nil {
		t.Error("Start on a busy port succeeded")
	}
	if err := d.ListenAndServe(ctx); err == nil || ctx.Err() != nil {
		t.Errorf("ListenAndServe on a busy port: %v", err)
	}
	if _, err := (&handler.DatagramServer{Host: "127.0.0.1"}).Start(ctx); !errors.Is(err, handler.ErrNilHandler) {
		t.Errorf("no handler: %v", err)
	}
	for _, bad := range []handler.DatagramServer{
		{Handler: h, MaxBufferSize: -1},
		{Handler: h, MaxBufferSize: 1 << 20},
		{Handler: h, ReceiveTimeout: -time.Second},
		{Handler: h, MaxInFlight: -1},
		{Handler: h, Mode: 9},
	} {
		var ce *handler.ConfigError
		if _, err := bad.Start(ctx); !errors.As(err, &ce) {
			t.Errorf("%+v: %v, want a ConfigError", bad, err)
		}
	}
}

// TestDatagramListenAndServe: the blocking form with a receive timeout
// keeps serving through idle timeouts and returns when its context ends.
func TestDatagramListenAndServe(t *testing.T) {
	port := freePort(t, "udp")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	hook, errs := hookChan()
	go func() {
		served <- (&handler.DatagramServer{Host: "127.0.0.1", Port: port, Handler: handler.EchoDatagram,
			ReceiveTimeout: time.Millisecond, ErrorHook: hook}).ListenAndServe(ctx)
	}()
	c := udpClient(t, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err := exchangeMany(c, 0, 3); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-served:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ListenAndServe = %v", err)
		}
	case <-time.After(wait):
		t.Fatal("ListenAndServe did not return")
	}
	noErr(t, errs)
}
