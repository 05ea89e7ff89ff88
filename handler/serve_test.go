//go:build unix

package handler_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// bufSizeControl sets small socket buffers, so backpressure shows quickly.
func bufSizeControl(_, _ string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		for _, opt := range []int{unix.SO_RCVBUF, unix.SO_SNDBUF} {
			if e := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, 32<<10); e != nil {
				serr = e
			}
		}
	})
	if err != nil {
		return err
	}
	return serr
}

func TestServeEchoHalfClose(t *testing.T) {
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", handler.Echo{},
		&handler.ServeOptions{ReactorOptions: []reactor.Option{reactor.WithLoops(2)}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := net.DialTimeout("tcp", srv.Addr().String(), wait)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	msg := bytes.Repeat([]byte("echo "), 100000)
	go func() {
		_, _ = c.Write(msg)
		_ = c.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo of %d bytes: got %d, %v", len(msg), len(got), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// probeEcho is Echo that records the largest outbound queue it saw.
type probeEcho struct {
	handler.Echo
	max *atomic.Int64
}

func (p probeEcho) OnData(c *reactor.Conn, data []byte) {
	p.Echo.OnData(c, data)
	if q := int64(c.Buffered()); q > p.max.Load() {
		p.max.Store(q)
	}
}

// TestEchoBackpressure: for a client that sends without reading, Echo
// stops reading once its queue passes the high-water mark, so the server
// holds at most about that much (plus one read) instead of everything the
// client sends; once the client reads, it gets every byte back.
func TestEchoBackpressure(t *testing.T) {
	const high, readBuf = 64 << 10, 64 << 10
	var most atomic.Int64
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", probeEcho{max: &most},
		&handler.ServeOptions{
			ReactorOptions: []reactor.Option{reactor.WithLoops(1), reactor.WithWriteWaterMarks(high, high/4),
				reactor.WithReadBufferSize(readBuf)},
			ListenOptions: []reactor.ListenOption{reactor.WithListenControl(bufSizeControl)},
		})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d := net.Dialer{Timeout: wait, Control: bufSizeControl}
	c, err := d.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// 64 MB cannot fit in the small socket buffers and the queue: the
	// write stalls until its deadline.
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	n, err := c.Write(make([]byte, 64<<20))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("write of 64 MB to a non-reading echo: n=%d err=%v; want a stall", n, err)
	}
	if q := most.Load(); q > high+readBuf {
		t.Fatalf("server queued up to %d bytes for a client that does not read (high-water mark %d)", q, high)
	}
	_ = c.(*net.TCPConn).CloseWrite()
	_ = c.SetReadDeadline(time.Now().Add(wait))
	got, err := io.Copy(io.Discard, c)
	if err != nil || got != int64(n) {
		t.Fatalf("read back %d of %d bytes: %v", got, n, err)
	}
}
