package reactortls

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/usocket-go/usocket/reactor"
)

// pusher writes from a goroutine of its own while the loop decrypts what
// the peer sends: crypto/tls's read and write sides run at once.
type pusher struct {
	reactor.BaseHandler
	wg    sync.WaitGroup
	chunk []byte
	n     int
	got   chan int
	recvd int
}

func (h *pusher) OnOpen(c *reactor.Conn) {
	h.wg.Go(func() {
		for range h.n {
			if _, err := c.Write(h.chunk); err != nil {
				return
			}
		}
		_ = c.CloseWrite()
	})
}

func (h *pusher) OnData(_ *reactor.Conn, b []byte) { h.recvd += len(b) }

// OnEOF does not close: the pusher's CloseWrite ends our side.
func (h *pusher) OnEOF(*reactor.Conn) { h.got <- h.recvd }

func TestWriteFromAnotherGoroutine(t *testing.T) {
	h := &pusher{chunk: bytes.Repeat([]byte("w"), 4096), n: 256, got: make(chan int, 1)}
	addr, _, _ := startServer(t, h, &Config{TLS: serverTLS()})
	defer h.wg.Wait()
	c := dialTLS(t, addr, clientTLS())
	const up = 1 << 20
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(make([]byte, up))
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	down, err := io.ReadAll(c) // to the server's close_notify
	if err != nil || len(down) != len(h.chunk)*h.n {
		t.Fatalf("read %d bytes, %v; want %d", len(down), err, len(h.chunk)*h.n)
	}
	if err := recv(t, werr, "client write"); err != nil {
		t.Fatal(err)
	}
	if n := recv(t, h.got, "OnEOF"); n != up {
		t.Fatalf("server got %d bytes, want %d", n, up)
	}
}
