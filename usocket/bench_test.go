package usocket

import (
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// The benchmarks run the same blocking echo code (a goroutine per
// connection, Read then Write) over usocket and over the standard
// library's *net.TCPConn, so the facade's cost shows as a ratio.

type stack struct {
	name     string
	idle     *reactor.IdleWait // usocket stacks: a reactor of their own waiting so; nil: the default reactor
	deadline bool              // every connection, both ends, has a (distant) deadline set
	timeouts bool              // every connection, both ends, has per-call read and write timeouts
	listen   func(ctx context.Context, r *reactor.Reactor) (net.Listener, error)
	dial     func(ctx context.Context, r *reactor.Reactor, addr string) (net.Conn, error)
}

var park = reactor.IdleWaitPark

func usocketListen(ctx context.Context, r *reactor.Reactor) (net.Listener, error) {
	lc := ListenConfig{Reactor: r}
	return lc.Listen(ctx, "127.0.0.1", AutoPort)
}

func usocketDial(ctx context.Context, r *reactor.Reactor, addr string) (net.Conn, error) {
	d := Dialer{Reactor: r}
	return d.DialContext(ctx, "tcp", addr)
}

var (
	usocketStack = stack{name: "usocket", listen: usocketListen, dial: usocketDial}
	// The same with loops that never lend themselves to blocked callers
	// (reactor.IdleWaitPark): every wake-up is handed off by the loop
	// goroutine, as the default did before it lent.
	parkStack = stack{name: "usocket-park", idle: &park, listen: usocketListen, dial: usocketDial}
	// The default, with a deadline set on every connection, as servers
	// facing the internet do: a blocked call still runs the loop itself.
	deadlineStack = stack{name: "usocket-deadline", deadline: true, listen: usocketListen, dial: usocketDial}
	// The default, with per-call read and write timeouts on every
	// connection, as the socket-server examples set them.
	timeoutStack = stack{name: "usocket-timeout", timeouts: true, listen: usocketListen, dial: usocketDial}
	netStack     = stack{
		name: "net",
		listen: func(ctx context.Context, _ *reactor.Reactor) (net.Listener, error) {
			return net.Listen("tcp4", "127.0.0.1:0")
		},
		dial: func(ctx context.Context, _ *reactor.Reactor, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
	}
	stacks = []stack{usocketStack, deadlineStack, timeoutStack, parkStack, netStack}
)

// benchDeadline is the distant deadline of the deadline stacks.
const benchDeadline = time.Hour

// benchTimeout is the per-call timeout of the timeout stacks: the echo
// server example's default.
const benchTimeout = 30 * time.Second

// limit sets what s asks for on a connection: a deadline, timeouts.
func (s stack) limit(c net.Conn) {
	if s.deadline {
		_ = c.SetDeadline(time.Now().Add(benchDeadline))
	}
	if uc, ok := c.(*Conn); ok && s.timeouts {
		_ = uc.SetReadTimeout(benchTimeout)
		_ = uc.SetWriteTimeout(benchTimeout)
	}
}

// echoServer accepts on ln and echoes each connection until it ends.
func echoServer(ln net.Listener, wg *sync.WaitGroup, s stack) {
	defer wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.limit(c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// withEcho starts an echo server on s and dials conns connections to it.
func withEcho(b *testing.B, s stack, conns int, f func(cs []net.Conn)) {
	ctx := context.Background()
	var r *reactor.Reactor // nil: the default one
	if s.idle != nil {
		var err error
		if r, err = reactor.New(reactor.WithIdleWait(*s.idle)); err != nil {
			b.Fatal(err)
		}
		defer r.Close()
	}
	ln, err := s.listen(ctx, r)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go echoServer(ln, &wg, s)
	cs := make([]net.Conn, conns)
	for i := range cs {
		if cs[i], err = s.dial(ctx, r, ln.Addr().String()); err != nil {
			b.Fatal(err)
		}
		s.limit(cs[i])
	}
	f(cs)
	for _, c := range cs {
		_ = c.Close()
	}
	_ = ln.Close()
	wg.Wait()
}

// BenchmarkEchoPingPong: each of c connections sends 64 bytes and waits for
// them to come back, over and over.
func BenchmarkEchoPingPong(b *testing.B) {
	for _, conns := range []int{1, 100} {
		for _, s := range stacks {
			b.Run("c"+strconv.Itoa(conns)+"/64B/"+s.name, func(b *testing.B) {
				withEcho(b, s, conns, func(cs []net.Conn) {
					pingPong(b, cs, 64)
				})
			})
		}
	}
}

func pingPong(b *testing.B, cs []net.Conn, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	cpu := startCPU(b)
	var wg sync.WaitGroup
	for i, c := range cs {
		n := b.N / len(cs)
		if i < b.N%len(cs) {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, size)
			for j := 0; j < n; j++ {
				if _, err := c.Write(buf); err != nil {
					b.Error(err)
					return
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	cpu.report()
}

// BenchmarkEchoBulk: one connection streams 64 KiB writes through the echo
// server while another goroutine reads them back.
func BenchmarkEchoBulk(b *testing.B) {
	const size = 64 << 10
	for _, s := range stacks {
		b.Run("64KiB/"+s.name, func(b *testing.B) {
			withEcho(b, s, 1, func(cs []net.Conn) {
				c := cs[0]
				b.SetBytes(size)
				b.ReportAllocs()
				cpu := startCPU(b)
				done := make(chan error, 1)
				go func() {
					_, err := io.CopyN(io.Discard, c, int64(b.N)*size)
					done <- err
				}()
				buf := make([]byte, size)
				for i := 0; i < b.N; i++ {
					if _, err := c.Write(buf); err != nil {
						b.Fatal(err)
					}
				}
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu.report()
			})
		})
	}
}
