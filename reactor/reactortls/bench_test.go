package reactortls

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// The benchmarks put the reactor's TLS echo (this package over
// reactor.Listen) side by side with a goroutine-per-connection
// tls.Listen echo from the standard library, driven by the same
// crypto/tls clients. Compare with benchstat, or the ratio of the
// medians of -count 5.

// benchServers are the two servers each benchmark runs against.
var benchServers = []struct {
	name  string
	start func(tb testing.TB) (addr string, stop func())
}{
	{"reactor", startReactorEcho},
	{"stdlib", startStdEcho},
}

func startReactorEcho(tb testing.TB) (string, func()) {
	r, err := reactor.New(reactor.WithErrorHook(func(err error) { tb.Error(err) }))
	if err != nil {
		tb.Fatal(err)
	}
	h, err := Server(echo{}, &Config{TLS: serverTLS()})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := r.Listen(context.Background(), "tcp", "127.0.0.1:0", h)
	if err != nil {
		tb.Fatal(err)
	}
	return ln.Addr().String(), func() { _ = r.Close() }
}

func startStdEcho(tb testing.TB) (string, func()) {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS())
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]struct{}{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = struct{}{}
			mu.Unlock()
			wg.Go(func() { stdEcho(c) })
		}
	})
	return ln.Addr().String(), func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}
}

// stdEcho is the standard library server's per-connection goroutine.
func stdEcho(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 16<<10)
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
}

// benchDial opens n handshaken client connections.
func benchDial(tb testing.TB, addr string, n int) []*tls.Conn {
	conns := make([]*tls.Conn, n)
	cfg := &tls.Config{InsecureSkipVerify: true} // a child process makes its own certificate
	for i := range conns {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 20 * time.Second}, "tcp", addr, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		if err := c.Handshake(); err != nil {
			tb.Fatal(err)
		}
		conns[i] = c
	}
	return conns
}

func closeAll(conns []*tls.Conn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

// roundTrip writes msg and reads as many bytes back.
func roundTrip(c *tls.Conn, msg, buf []byte) error {
	if _, err := c.Write(msg); err != nil {
		return err
	}
	_, err := io.ReadFull(c, buf[:len(msg)])
	return err
}

// benchRoundTrips shares b.N round trips of size bytes among conns
// clients, each on its own connection.
func benchRoundTrips(b *testing.B, addr string, conns, size int) {
	cs := benchDial(b, addr, conns)
	defer closeAll(cs)
	msg := make([]byte, size)
	b.SetBytes(int64(size))
	b.ResetTimer()
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for _, c := range cs {
		_ = c.SetDeadline(time.Now().Add(5 * time.Minute))
		wg.Go(func() {
			buf := make([]byte, size)
			for left.Add(-1) >= 0 {
				if err := roundTrip(c, msg, buf); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// BenchmarkTLSEcho: ping-pong of 64 B on 1 and on 100 connections, and
// round trips of 64 KiB on one.
func BenchmarkTLSEcho(b *testing.B) {
	for _, cs := range []struct {
		name         string
		conns, bytes int
	}{{"pingpong64B-c1", 1, 64}, {"pingpong64B-c100", 100, 64}, {"bulk64KiB-c1", 1, 64 << 10}} {
		for _, s := range benchServers {
			b.Run(cs.name+"/"+s.name, func(b *testing.B) {
				addr, stop := s.start(b)
				defer stop()
				benchRoundTrips(b, addr, cs.conns, cs.bytes)
			})
		}
	}
}

// idleConns is how many connections BenchmarkTLSIdleMemory holds open:
// -tls.idleconns=10000 for the scale (each process holds one end,
// within the limit of 20,000 open files).
var idleConns = flag.Int("tls.idleconns", 2000, "connections BenchmarkTLSIdleMemory holds open (1 to 19000)")

// BenchmarkTLSIdleMemory opens idleConns TLS connections to a server in a
// child process, each handshaken and past one 64 B echo, and reports the
// server's memory per connection: the growth of its Go heap and stacks
// (HeapInuse+StackInuse after a GC), and of its RSS.
func BenchmarkTLSIdleMemory(b *testing.B) {
	n := *idleConns
	if n < 1 || n > 19000 {
		b.Fatalf("-tls.idleconns=%d: want 1 to 19000 (the open-file limit is 20,000)", n)
	}
	for _, s := range benchServers {
		b.Run(s.name, func(b *testing.B) {
			child, err := startBenchChild(s.name)
			if err != nil {
				b.Fatal(err)
			}
			defer child.stop()
			goBefore, rssBefore := child.mem(b)
			cs := benchDial(b, child.addr, n)
			defer closeAll(cs)
			msg, buf := make([]byte, 64), make([]byte, 64)
			for _, c := range cs {
				_ = c.SetDeadline(time.Now().Add(time.Minute))
				if err := roundTrip(c, msg, buf); err != nil {
					b.Fatal(err)
				}
			}
			goAfter, rssAfter := child.mem(b)
			b.ReportMetric(float64(goAfter-goBefore)/float64(n), "goB/conn")
			b.ReportMetric(float64(rssAfter-rssBefore)/float64(n), "rssB/conn")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// benchChildEnv selects the server a re-executed test binary runs.
const benchChildEnv = "REACTORTLS_BENCH_CHILD"

type benchChild struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

func startBenchChild(server string) (*benchChild, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), benchChildEnv+"="+server)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ch := &benchChild{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	if !ch.out.Scan() {
		ch.stop()
		return nil, errors.New("bench child: no address")
	}
	ch.addr = ch.out.Text()
	return ch, nil
}

// mem asks the child for its Go memory and RSS, in bytes.
func (ch *benchChild) mem(tb testing.TB) (goMem, rss int64) {
	if _, err := io.WriteString(ch.in, "mem\n"); err != nil {
		tb.Fatal(err)
	}
	if !ch.out.Scan() {
		tb.Fatal("bench child: no answer")
	}
	f := strings.Fields(ch.out.Text())
	goMem, _ = strconv.ParseInt(f[0], 10, 64)
	rss, _ = strconv.ParseInt(f[1], 10, 64)
	return goMem, rss
}

func (ch *benchChild) stop() {
	_ = ch.in.Close() // the child exits at EOF
	_ = ch.cmd.Wait()
}

// runBenchChild is the child: it serves, prints its address, and answers
// "mem" lines until its stdin ends.
func runBenchChild(server string) int {
	start := startStdEcho
	if server == "reactor" {
		start = startReactorEcho
	}
	tb := &childTB{}
	addr, stop := start(tb)
	defer stop()
	fmt.Println(addr)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Println(m.HeapInuse+m.StackInuse, rssBytes())
	}
	return 0
}

// rssBytes is this process's resident set, from /proc/self/statm.
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// childTB is the testing.TB the child's servers report to.
type childTB struct{ testing.TB }

func (*childTB) Error(args ...any) { fmt.Fprintln(os.Stderr, args...) }
func (*childTB) Fatal(args ...any) {
	fmt.Fprintln(os.Stderr, args...)
	os.Exit(1)
}
