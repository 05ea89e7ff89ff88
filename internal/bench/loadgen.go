package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// Load describes one load-generator run against an echo server.
type Load struct {
	Addr        string        // server address, HOST:PORT
	Conns       int           // concurrent connections (TCP) or sockets (UDP)
	Size        int           // message size in bytes (ping-pong and idle probes)
	Warmup      time.Duration // traffic before the measurement window; not counted
	Duration    time.Duration // length of the measurement window
	LossTimeout time.Duration // UDP: wait this long before declaring a datagram lost; 0 means 200 ms
	PID         int           // IdleMemory, SlowReader: process whose VmRSS is read
	DialTimeout time.Duration // per-connection dial bound; 0 means 5 s
	MemCapMiB   int           // SlowReader: stop pushing once the server grew this much; 0 means 1024
	// OnWindow, when set, is called once with the measurement window as soon
	// as it is known (before it starts), so a caller can sample the server
	// at its edges.
	OnWindow func(start, end time.Time)
}

// Result is what one load-generator run measured.
type Result struct {
	Value      float64       // headline number, in Unit
	Unit       string        // "rt/s", "MB/s" or "KiB/conn"
	Count      int64         // round trips, bytes or connections behind Value
	Elapsed    time.Duration // measurement window
	P50, P99   time.Duration // ping-pong round-trip latency percentiles
	Mismatches int64         // echoed payloads that differed from what was sent
	Losses     int64         // UDP datagrams declared lost (and re-sent)
	Reference  float64       // waitlist: ns per wait of the poll-every-source baseline
	Capped     bool          // SlowReader: pushing stopped at Load.MemCapMiB
	Server     ServerUsage   // the server process over the window, when sampled
}

// ErrBadLoad reports an invalid Load.
var ErrBadLoad = errors.New("bench: invalid load")

// Units of Result.Value.
const (
	UnitRoundTrips = "rt/s"
	UnitMBps       = "MB/s"
	UnitKiBPerConn = "KiB/conn"
	UnitMiBGrowth  = "MiB growth"
	UnitNsPerWait  = "ns/wait"
)

func (l Load) check(minSize int) error {
	switch {
	case l.Addr == "":
		return fmt.Errorf("%w: empty address", ErrBadLoad)
	case l.Conns <= 0:
		return fmt.Errorf("%w: %d connections", ErrBadLoad, l.Conns)
	case l.Size < minSize:
		return fmt.Errorf("%w: size %d is below %d", ErrBadLoad, l.Size, minSize)
	case l.Duration <= 0 || l.Warmup < 0:
		return fmt.Errorf("%w: warmup %v, duration %v", ErrBadLoad, l.Warmup, l.Duration)
	}
	return nil
}

func (l Load) dialTimeout() time.Duration {
	if l.DialTimeout > 0 {
		return l.DialTimeout
	}
	return 5 * time.Second
}

// window is the measurement interval shared by all workers of one run.
type window struct {
	start, end time.Time
}

// newWindow starts the warm-up now and tells l.OnWindow about the window.
func newWindow(l Load) window {
	start := time.Now().Add(l.Warmup)
	w := window{start: start, end: start.Add(l.Duration)}
	if l.OnWindow != nil {
		l.OnWindow(w.start, w.end)
	}
	return w
}

// runWorkers runs fn(i) for i in [0, n) concurrently and returns the error
// of the lowest-numbered failing worker, if any, saying how many others
// failed too.
func runWorkers(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	var first error
	failed := 0
	for _, err := range errs {
		if err != nil {
			if first == nil {
				first = err
			}
			failed++
		}
	}
	if failed > 1 {
		return fmt.Errorf("%w (and %d more failed worker(s))", first, failed-1)
	}
	return first
}

// dialAll opens n TCP connections to addr with at most par dials in flight.
// On error every connection opened so far is closed.
func dialAll(ctx context.Context, l Load, n, par int) ([]*net.TCPConn, error) {
	conns := make([]*net.TCPConn, n)
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range n {
			select {
			case next <- i:
			case <-dctx.Done():
				return
			}
		}
	}()
	d := net.Dialer{Timeout: l.dialTimeout()}
	err := runWorkers(min(par, n), func(int) error {
		for i := range next {
			c, err := d.DialContext(dctx, "tcp", l.Addr)
			if err != nil {
				cancel()
				return fmt.Errorf("dial %s (connection %d): %w", l.Addr, i, err)
			}
			conns[i] = c.(*net.TCPConn)
		}
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		// Drain so the feeder goroutine ends, then release what was opened.
		for range next {
		}
		closeAll(conns)
		return nil, err
	}
	return conns, nil
}

// closeAll closes every non-nil connection with an RST (linger 0) so that a
// long benchmark does not fill the port range with TIME_WAIT sockets.
func closeAll(conns []*net.TCPConn) {
	for _, c := range conns {
		if c != nil {
			_ = c.SetLinger(0)
			_ = c.Close()
		}
	}
}

// dialLoad checks l and opens its l.Conns connections to l.Addr.
func dialLoad(ctx context.Context, l Load) ([]*net.TCPConn, error) {
	if err := l.check(1); err != nil {
		return nil, err
	}
	return dialAll(ctx, l, l.Conns, dialParallelism)
}

// armConns sets every connection's deadline to end with set
// ((*net.TCPConn).SetDeadline or SetWriteDeadline) and cuts them short
// when ctx ends (cancelOnDone). The returned stop must be called.
func armConns(ctx context.Context, conns []*net.TCPConn, set func(*net.TCPConn, time.Time) error, end time.Time) (stop func() bool, err error) {
	for _, c := range conns {
		if err := set(c, end); err != nil {
			return nil, fmt.Errorf("set deadline: %w", err)
		}
	}
	return cancelOnDone(ctx, asNetConns(conns)), nil
}

// cancelOnDone sets an immediate deadline on every connection when ctx ends,
// so blocked workers return. The returned stop function must be called.
func cancelOnDone(ctx context.Context, conns []net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		for _, c := range conns {
			_ = c.SetDeadline(time.Now())
		}
	})
}

// isTimeout reports whether err is a deadline expiry.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
