package reactortls_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/usocket-go/usocket/internal/selfsigned"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/reactor/reactortls"
)

// upper answers each read with its upper-case echo, and closes (with
// close_notify) on the peer's close_notify.
type upper struct{ reactor.BaseHandler }

func (upper) OnData(c *reactor.Conn, b []byte) {
	out := make([]byte, len(b))
	for i, x := range b {
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		out[i] = x
	}
	_, _ = c.Write(out)
}

// A TLS server on the event loops, and a crypto/tls client talking to it.
func Example() {
	cert, pool, err := selfsigned.New(time.Hour, "127.0.0.1")
	if err != nil {
		panic(err)
	}
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		panic(err)
	}
	defer r.Close()
	h, err := reactortls.Server(upper{}, &reactortls.Config{
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}},
	})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln, err := r.Listen(ctx, "tcp", "127.0.0.1:0", h)
	if err != nil {
		panic(err)
	}
	defer ln.Close()

	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", ln.Addr().String(),
		&tls.Config{RootCAs: pool})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write([]byte("hello, tls"))
	_ = c.CloseWrite() // close_notify: the server's OnEOF
	reply, err := io.ReadAll(c)
	fmt.Printf("%s %v\n", reply, err)
	// Output: HELLO, TLS <nil>
}
