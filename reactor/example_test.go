package reactor_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// echoHandler writes back every byte it reads; BaseHandler closes the
// connection when the peer is done sending.
type echoHandler struct{ reactor.BaseHandler }

func (echoHandler) OnData(c *reactor.Conn, data []byte) { _, _ = c.Write(data) }

// An echo server on a loopback port chosen by the kernel, and a client.
func Example() {
	r, err := reactor.New(reactor.WithLoops(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln, err := r.Listen(ctx, "tcp", "127.0.0.1:0", echoHandler{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()

	c, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write([]byte("hello, reactor"))
	_ = c.(*net.TCPConn).CloseWrite() // done sending: the server flushes and closes
	reply, err := io.ReadAll(c)
	fmt.Printf("%s %v\n", reply, err)
	// Output: hello, reactor <nil>
}

// A handler that reads a whole request up to the peer's FIN, then answers
// on the still-writable connection.
func ExampleHandler_halfClose() {
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln, err := r.Listen(ctx, "tcp", "127.0.0.1:0", &countHandler{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()

	c, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write([]byte("count these bytes"))
	_ = c.(*net.TCPConn).CloseWrite()
	reply, _ := io.ReadAll(c)
	fmt.Println(string(reply))
	// Output: 17 bytes
}

// countHandler counts a request's bytes and replies after the request ends.
type countHandler struct{ reactor.BaseHandler }

func (*countHandler) OnOpen(c *reactor.Conn) { c.SetContext(0) }

func (*countHandler) OnData(c *reactor.Conn, data []byte) {
	c.SetContext(c.Context().(int) + len(data))
}

func (*countHandler) OnEOF(c *reactor.Conn) {
	_, _ = fmt.Fprintf(c, "%d bytes", c.Context().(int))
	_ = c.Close()
}
