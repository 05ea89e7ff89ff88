package handler_test

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/udp"
	"github.com/usocket-go/usocket/usocket"
)

// A per-connection TCP server started in the background, a client that
// half-closes to get the whole reply, and a graceful stop.
func Example() {
	ctx := context.Background()
	upper := func(_ context.Context, c *usocket.Conn, _ netip.AddrPort) error {
		b, err := io.ReadAll(c)
		if err != nil {
			return err
		}
		_, err = c.Write([]byte(strings.ToUpper(string(b))))
		return err
	}
	srv := handler.StreamServer{Host: "127.0.0.1", Mode: handler.PerConnection, Handler: upper}
	svc, err := srv.Start(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Shutdown(ctx)

	c, err := usocket.Connect(ctx, "127.0.0.1", int(svc.AddrPort().Port()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_, _ = c.Write([]byte("hello, usocket"))
	_ = c.CloseWrite()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	reply, err := io.ReadAll(c)
	fmt.Printf("%s %v\n", reply, err)
	// Output: HELLO, USOCKET <nil>
}

// A datagram echo server (usocket's default-udp-handler) and one request.
func ExampleDatagramServer() {
	ctx := context.Background()
	svc, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: handler.EchoDatagram}).Start(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()

	port := svc.AddrPort().Port()
	c, err := udp.Dial(ctx, "127.0.0.1", int(port))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_, _ = c.Send([]byte("ping"), netip.AddrPort{})
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 16)
	n, _, from, err := c.Receive(buf)
	fmt.Println(string(buf[:n]), from.Port() == port, err)
	// Output: ping true <nil>
}
