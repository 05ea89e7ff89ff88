package udp_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/usocket-go/usocket/udp"
	"github.com/usocket-go/usocket/usocket"
)

// A server on an unconnected socket answers a client on a connected one;
// the client's receive buffer is too short for the answer.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	srv, err := udp.Listen(ctx, "127.0.0.1", 0) // port 0: the system picks
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	cl, err := udp.Dial(ctx, "127.0.0.1", int(srv.LocalAddrPort().Port()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	_ = srv.SetDeadline(time.Now().Add(10 * time.Second))
	_ = cl.SetDeadline(time.Now().Add(10 * time.Second))

	// socket-send without :host/:port on a connected socket.
	if _, err := cl.Send([]byte("ping"), netip.AddrPort{}); err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, udp.MaxDatagramSize)
	n, size, from, err := srv.Receive(buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("server got %q (%d bytes) from the client: %v\n", buf[:n], size, from == cl.LocalAddrPort())

	// socket-send with :host/:port, to the datagram's sender.
	if _, err := srv.Send([]byte("pong, and more"), from); err != nil {
		fmt.Println(err)
		return
	}
	short := make([]byte, 4)
	n, size, _, err = cl.Receive(short)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("client got %q of a %d-byte datagram\n", short[:n], size)

	// Too large for a datagram: an error before any system call.
	_, err = cl.Send(make([]byte, udp.MaxDatagramSize+1), netip.AddrPort{})
	fmt.Println(errors.Is(err, udp.ErrDatagramTooLarge), errors.Is(err, usocket.ErrInvalidArgument))
	// Output:
	// server got "ping" (4 bytes) from the client: true
	// client got "pong" of a 14-byte datagram
	// true true
}
