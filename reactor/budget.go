package reactor

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"sync/atomic"
	"time"

	"golang.org/x/sys/cpu"
)

// DefaultMemoryLimit is the reactor-wide limit on queued output when
// Options.MemoryLimit is left 0 and the Go runtime has no memory limit
// (GOMEMLIMIT). It is 1,024 connections each at the default high-water
// mark, so a well-behaved server is not throttled below that, while a crowd
// of peers that never read costs at most this much user-space memory
// instead of growing until the process dies. With a runtime memory limit
// set, the default is a quarter of it, if that is less.
const DefaultMemoryLimit = 256 << 20

// NoMemoryLimit as Options.MemoryLimit turns the reactor-wide limit off.
const NoMemoryLimit = -1

// budgetReadCap sets how far past the limit one connection may go (twice
// this): while the reactor is over its limit a connection holding this much
// unsent output does not read, and one holding less reads at most this
// much at once.
const budgetReadCap = 4 << 10

// budgetReleaseInterval spaces out the returns of memory to the operating
// system after the reactor was over its limit.
const budgetReleaseInterval = 10 * time.Second

// budgetReportInterval is the least time between two ErrMemoryLimit
// reports to the error hook.
const budgetReportInterval = time.Second

// WithMemoryLimit bounds the output queued by all the reactor's connections
// together to about n bytes; 0 or less means no limit. See
// Options.MemoryLimit.
func WithMemoryLimit(n int64) Option {
	return func(o *Options) {
		o.MemoryLimit = n
		if n <= 0 {
			o.MemoryLimit = NoMemoryLimit
		}
	}
}

// ErrMemoryLimit is reported to the error hook, wrapped in a
// *MemoryLimitError, each time the output queued by all connections passes
// the reactor's memory limit (at most once a second).
var ErrMemoryLimit = errors.New("reactor: memory limit for queued output reached")

// MemoryLimitError reports that the reactor went over its memory limit, so
// connections holding unsent output stop reading until it drains. It
// unwraps to ErrMemoryLimit.
type MemoryLimitError struct {
	Limit  int64 // the reactor's limit on queued output, in bytes
	Queued int64 // output queued by all connections when it was passed
}

// Error implements error.
func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("reactor: %d bytes of queued output passed the memory limit of %d bytes; reading paused on connections holding unsent output", e.Queued, e.Limit)
}

// Unwrap returns ErrMemoryLimit.
func (e *MemoryLimitError) Unwrap() error { return ErrMemoryLimit }

// MemoryStats describes a reactor's queued output and its memory limit.
type MemoryStats struct {
	Limit  int64  // the limit on queued output; 0 means none
	Queued int64  // bytes queued by all connections and not yet sent, to 64 KiB per loop
	Peak   int64  // the most ever queued while over the limit; 0 if never over
	Overs  uint64 // how many times Queued went over the limit
	Pauses uint64 // how many times the limit paused reading on a connection
	Paused int64  // connections whose reading the limit holds paused now
	// Releases counts the times memory was handed back to the OS
	// (debug.FreeOSMemory) once the total fell to an eighth of the limit
	// after being over it; at most once every 10 s.
	Releases uint64
}

// MemoryStats reports the reactor's queued output and what its memory
// limit did about it. Safe from any goroutine.
func (r *Reactor) MemoryStats() MemoryStats {
	b := &r.budget
	s := MemoryStats{
		Queued:   max(b.total.Load(), 0),
		Peak:     b.peak.Load(),
		Overs:    b.overs.Load(),
		Pauses:   b.pauses.Load(),
		Paused:   b.paused.Load(),
		Releases: b.releases.Load(),
	}
	if b.limit != math.MaxInt64 {
		s.Limit = b.limit
	}
	return s
}

// defaultMemoryLimit is DefaultMemoryLimit, or a quarter of the Go
// runtime's memory limit if that is less (but at least 1 MiB).
func defaultMemoryLimit() int64 {
	if rt := debug.SetMemoryLimit(-1); rt/4 < DefaultMemoryLimit {
		return max(rt/4, 1<<20)
	}
	return DefaultMemoryLimit
}

// memBudget is the reactor-wide account of queued output. Write does not
// touch it: each loop counts what its connections take into their queues
// and send, and adds that to total in batches (loopBudget), so total is
// exact to budgetBatch per loop. The read path loads state once per read;
// the rest is for the rare transitions. total and state each have a cache
// line of their own, so the loops' loads of state do not contend with
// their adds to total.
type memBudget struct {
	limit int64 // pause producers above this; math.MaxInt64 when off
	low   int64 // resume them below this
	calm  int64 // return memory to the OS below this, after being over
	_     cpu.CacheLinePad
	total atomic.Int64 // bytes queued on all connections, as the loops published them
	_     cpu.CacheLinePad
	state atomic.Int32 // budgetCalm, budgetOver or budgetEbbing
	_     cpu.CacheLinePad

	peak       atomic.Int64
	overs      atomic.Uint64
	pauses     atomic.Uint64
	paused     atomic.Int64
	releases   atomic.Uint64
	lastReport atomic.Int64 // monotonic time of the last report, +1; 0: never
	lastFree   atomic.Int64 // monotonic time memory was last returned, +1
}

// The budget's states. Over: total passed limit and has not fallen below
// low since; connections holding output do not read. Ebbing: it fell below
// low (the paused connections were resumed) but not yet below calm.
const (
	budgetCalm int32 = iota
	budgetOver
	budgetEbbing
)

func (b *memBudget) init(limit int64) {
	if limit <= 0 {
		b.limit, b.low, b.calm = math.MaxInt64, math.MaxInt64, 0
		return
	}
	b.limit, b.low, b.calm = limit, limit/2, limit/8
}

// over reports whether connections holding output must stop reading.
func (b *memBudget) over() bool { return b.state.Load() == budgetOver }

// check reacts to a total that loop l raised.
func (b *memBudget) check(l *loop, total int64) {
	if total > b.limit {
		b.exceeded(l, total)
	}
}

// released reacts to a total that loop l lowered.
func (b *memBudget) released(l *loop, total int64) {
	if total < b.low && b.state.Load() != budgetCalm {
		b.settle(l)
	}
}

// exceeded is the slow path of check: note the peak, and go over the limit
// if that is news.
func (b *memBudget) exceeded(l *loop, total int64) {
	for p := b.peak.Load(); total > p && !b.peak.CompareAndSwap(p, total); p = b.peak.Load() {
	}
	if !b.over() {
		b.settle(l)
	}
}

// settle makes state agree with total. Each change is announced first and
// total read again afterwards, so a concurrent swing the other way is not
// lost; the passes are bounded, and a swing after the last one is caught by
// the next add or release.
func (b *memBudget) settle(l *loop) {
	for range 4 {
		t, s := b.total.Load(), b.state.Load()
		switch {
		case t > b.limit && s != budgetOver:
			if b.state.CompareAndSwap(s, budgetOver) {
				b.wentOver(l, t)
			}
		case t < b.low && s == budgetOver:
			if b.state.CompareAndSwap(s, budgetEbbing) {
				b.wentUnder(l.r)
			}
		case t < b.calm && s == budgetEbbing:
			if b.state.CompareAndSwap(s, budgetCalm) {
				b.calmed(l)
			}
		default:
			return
		}
	}
}

// wentOver counts the transition and reports it, at most once a second.
// Connections pause themselves when they next try to read (Conn.read).
func (b *memBudget) wentOver(l *loop, total int64) {
	b.overs.Add(1)
	if b.due(&b.lastReport, budgetReportInterval) {
		_ = l.run(budgetReportTask, &budgetReport{r: l.r, err: &MemoryLimitError{Limit: b.limit, Queued: total}})
	}
}

// wentUnder asks every loop to resume the connections it paused.
func (b *memBudget) wentUnder(r *Reactor) {
	for _, l := range r.loops {
		_ = l.run(budgetResumeTask, l)
	}
}

// calmed returns to the OS the memory the queues held while the reactor
// was over its limit: the buffers they gave back beyond what the pool keeps
// are garbage by now, but a heap that does not grow is not collected for
// minutes. At most once every budgetReleaseInterval.
func (b *memBudget) calmed(l *loop) {
	if b.due(&b.lastFree, budgetReleaseInterval) {
		_ = l.run(budgetFreeTask, l.r)
	}
}

// due reports whether interval has passed since *last, and if so claims
// the moment by storing now in it.
func (b *memBudget) due(last *atomic.Int64, interval time.Duration) bool {
	now := monotonic() + 1
	prev := last.Load()
	if prev != 0 && now-prev < int64(interval) {
		return false
	}
	return last.CompareAndSwap(prev, now)
}

// budgetReport carries a report to a loop, which calls the error hook.
type budgetReport struct {
	r   *Reactor
	err error
}

func budgetReportTask(p any) error {
	x := p.(*budgetReport)
	x.r.report(x.err)
	return nil
}

// budgetFreeTask starts the goroutine that returns memory to the OS. It
// runs on a loop so that Close, which waits for the loops, waits for it too.
func budgetFreeTask(p any) error {
	r := p.(*Reactor)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		debug.FreeOSMemory()
		r.budget.releases.Add(1)
	}()
	return nil
}
