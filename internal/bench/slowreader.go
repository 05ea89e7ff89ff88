package bench

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// Slow-reader defaults.
const (
	defaultMemCapMiB = 1024
	rssSampleEvery   = 50 * time.Millisecond
)

// SlowReader measures whether the server bounds its memory when clients do
// not read. It opens l.Conns connections to l.Addr and on each writes
// l.Size-byte chunks as fast as the server accepts them for l.Duration,
// reading nothing back, so every echo the server sends piles up. Meanwhile
// it samples the VmRSS of process l.PID and reports the peak growth in MiB
// (Value) and the bytes the clients managed to push (Count). A server that
// applies back-pressure stops reading once the client's receive buffers are
// full, so its memory stays flat and little is pushed; a server that buffers
// without bound grows with every byte. When the growth reaches l.MemCapMiB
// the push stops early and Capped is set. Warmup is unused.
func SlowReader(ctx context.Context, l Load) (Result, error) {
	if err := l.check(1); err != nil {
		return Result{}, err
	}
	if l.PID <= 0 {
		return Result{}, fmt.Errorf("%w: slow-reader needs the server pid", ErrBadLoad)
	}
	capKiB := int64(l.MemCapMiB) << 10
	if capKiB <= 0 {
		capKiB = defaultMemCapMiB << 10
	}
	before, err := ReadRSS(l.PID)
	if err != nil {
		return Result{}, err
	}
	conns, err := dialAll(ctx, l, l.Conns, dialParallelism)
	if err != nil {
		return Result{}, err
	}
	defer closeAll(conns)
	l.Warmup = 0
	w := newWindow(l)
	stop, err := armConns(ctx, conns, (*net.TCPConn).SetWriteDeadline, w.end)
	if err != nil {
		return Result{}, err
	}
	defer stop()

	watch := startRSSWatch(l.PID, before, capKiB, conns)
	pattern := newStreamPattern(l.Size)
	pushed := make([]int64, len(conns))
	err = runWorkers(len(conns), func(i int) error {
		return pushUntilDeadline(conns[i], pattern, l.Size, &pushed[i])
	})
	peak, capped, werr := watch.stop()
	res := Result{Unit: UnitMiBGrowth, Elapsed: time.Since(w.start), Capped: capped}
	for _, n := range pushed {
		res.Count += n
	}
	res.Value = float64(peak-before) / 1024
	if err == nil {
		err = werr
	}
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// pushUntilDeadline writes until the write deadline stops it; a deadline
// expiry is the normal end.
func pushUntilDeadline(c *net.TCPConn, pattern []byte, size int, pushed *int64) error {
	var off int
	for {
		n, err := c.Write(pattern[off%streamPeriod:][:size])
		off += n
		*pushed += int64(n)
		if err != nil {
			if isTimeout(err) {
				return nil
			}
			return fmt.Errorf("slow-reader write: %w", err)
		}
	}
}

// rssWatch samples a process's VmRSS until stopped, keeping the peak; once
// the growth over base reaches capKiB it ends every push by expiring the
// connections' write deadlines.
type rssWatch struct {
	pid       int
	base, cap int64
	conns     []*net.TCPConn
	quit      chan struct{}
	wg        sync.WaitGroup
	peak      int64
	capped    bool
	err       error
}

func startRSSWatch(pid int, base, capKiB int64, conns []*net.TCPConn) *rssWatch {
	w := &rssWatch{pid: pid, base: base, cap: capKiB, conns: conns, quit: make(chan struct{}), peak: base}
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *rssWatch) loop() {
	defer w.wg.Done()
	tick := time.NewTicker(rssSampleEvery)
	defer tick.Stop()
	for {
		if !w.sample() {
			return
		}
		select {
		case <-tick.C:
		case <-w.quit:
			w.sample()
			return
		}
	}
}

// sample reads VmRSS once; it reports false when sampling should end.
func (w *rssWatch) sample() bool {
	rss, err := ReadRSS(w.pid)
	if err != nil {
		w.err = err
		return false
	}
	w.peak = max(w.peak, rss)
	if !w.capped && w.peak-w.base >= w.cap {
		w.capped = true
		for _, c := range w.conns {
			_ = c.SetWriteDeadline(time.Now())
		}
	}
	return true
}

// stop ends sampling and returns the peak RSS in KiB.
func (w *rssWatch) stop() (peak int64, capped bool, err error) {
	close(w.quit)
	w.wg.Wait()
	return w.peak, w.capped, w.err
}
