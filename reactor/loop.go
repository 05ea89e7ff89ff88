package reactor

import (
	"fmt"
	"net/netip"
	"os"
	"sync/atomic"

	"github.com/panjf2000/gnet/v2/pkg/queue"
)

// pollable is anything registered on a loop's poller: connections,
// listeners, watchers and, on Linux, the loop's timerfd.
type pollable interface {
	onEvent(ev uint32)
	// shutdown releases the fd when the loop stops.
	shutdown(err error)
}

// registration is a loop's record of one registered descriptor: its owner
// and the generation that the descriptor's epoll events carry. Every
// registration gets a new generation, so an event queued for a descriptor
// that was closed, its number then reused by a new registration (even
// within the same poll batch), carries the old generation and is dropped
// instead of reaching the new owner. The Go runtime's poller does the same
// with its fdseq tag.
type registration struct {
	p   pollable
	gen uint32
}

// loop is one event loop: one goroutine running one poller.
// Everything reachable from it without a lock is owned by that goroutine.
type loop struct {
	r      *Reactor
	idx    int
	poller *poller
	buf    []byte         // read buffer shared by the loop's connections
	iov    [][]byte       // writev scratch
	fds    []registration // indexed by file descriptor
	gen    uint32         // generation of the latest registration
	timers timerHeap
	budget loopBudget   // the loop's share of the memory limit's work
	conns  atomic.Int64 // open connections, readable from anywhere
	stats  loopStats

	// emptyReads counts reads that found nothing after a readiness event.
	// The loop is a socket's only reader and epoll is level-triggered, so
	// this stays 0 unless an event reached a connection it was not meant
	// for; the torture test checks it.
	emptyReads int

	// unlendable counts registrations other than lendable edge watchers
	// and the timer descriptor: while any is there, the loop is not lent
	// (lend.go).
	unlendable int
}

func newLoop(r *Reactor, idx int) (*loop, error) {
	p, err := openPoller(r.opts.IdleWait)
	if err != nil {
		return nil, err
	}
	l := &loop{r: r, idx: idx, poller: p, buf: make([]byte, r.opts.ReadBufferSize), iov: make([][]byte, 0, maxIov)}
	if err := l.openTimers(); err != nil {
		p.close()
		return nil, err
	}
	p.setLender(l.lendable)
	return l, nil
}

// safeCall runs f, reporting a panic to the error hook instead of dying.
func (l *loop) safeCall(f func()) {
	defer func() {
		if v := recover(); v != nil {
			l.stats.panics.Add(1)
			l.r.reportFrom(l, netip.AddrPort{}, newPanicError(v))
		}
	}()
	f()
}

// serve is the loop goroutine.
func (l *loop) serve() {
	defer l.r.wg.Done()
	// poll returns only when a task stops it (errStop) or waiting failed.
	if err := l.poller.poll(l.dispatch); err != errStop {
		l.r.reportFrom(l, netip.AddrPort{}, fmt.Errorf("reactor: loop %d stopped: %w", l.idx, err))
	}
	l.teardown()
}

// dispatch hands an event to the registration it was queued for, if that
// registration is still the current one for fd.
func (l *loop) dispatch(fd int, gen uint32, ev uint32) {
	if fd < len(l.fds) {
		if reg := l.fds[fd]; reg.gen == gen && reg.p != nil {
			reg.p.onEvent(ev)
		}
	}
}

// teardown closes everything still registered; runs on the loop goroutine
// after Polling returned.
func (l *loop) teardown() {
	for _, reg := range l.fds {
		if reg.p != nil {
			reg.p.shutdown(ErrClosed)
		}
	}
	l.fds = nil
	l.timers.close()
	l.poller.close()
}

// add registers fd with the poller for the given events and records its
// owner under a new generation.
func (l *loop) add(fd int, p pollable, events uint32) error {
	if fd >= len(l.fds) {
		n := len(l.fds)*2 + 64
		if n <= fd {
			n = fd + 64
		}
		grown := make([]registration, n)
		copy(grown, l.fds)
		l.fds = grown
	}
	if l.gen++; l.gen == 0 { // 0 is never a registration's generation
		l.gen = 1
	}
	if old := l.fds[fd].p; old != nil {
		l.countReg(old, -1)
	}
	l.fds[fd] = registration{p: p, gen: l.gen}
	l.countReg(p, 1)
	if events == 0 {
		return nil
	}
	return l.setEvents(fd, 0, events)
}

// forget unregisters fd (the caller closes it); events still queued for
// it are dropped.
func (l *loop) forget(fd int, events uint32) {
	if events != 0 {
		_ = l.poller.setEvents(fd, 0, events, 0)
	}
	if fd < len(l.fds) {
		if old := l.fds[fd].p; old != nil {
			l.countReg(old, -1)
		}
		l.fds[fd] = registration{}
	}
}

// setEvents changes the interest of fd, registered with add, from old to
// want; its events carry its registration's generation.
func (l *loop) setEvents(fd int, old, want uint32) error {
	return l.poller.setEvents(fd, l.fds[fd].gen, old, want)
}

// run queues fn(param) on the loop. It is safe from any goroutine and fails
// with ErrClosed once the reactor is stopping, so no task is ever queued on
// a loop that will not run it. It fails only then: a task it queued runs,
// so a caller never undoes what a task will do (close a descriptor the
// task registers, say).
func (l *loop) run(fn queue.Func, param any) error {
	l.r.mu.RLock()
	defer l.r.mu.RUnlock()
	if l.r.stopping {
		return ErrClosed
	}
	l.trigger(fn, param)
	return nil
}

// trigger queues without the stopping check; only Reactor.Close uses it
// directly, under the write lock. The task is queued whatever happens: a
// failure to wake the loop (its eventfd write failing, which should never
// happen) is counted (LoopStats.WakeFailures), and the next task queued
// tries the wake-up again. It is not reported to the error hook yet: CI
// once saw EBADF here on a live loop, which says some descriptor close
// elsewhere hit the loop's eventfd number; that is to be found first.
func (l *loop) trigger(fn queue.Func, param any) {
	if err := l.poller.trigger(fn, param); err != nil {
		l.stats.wakeFailures.Add(1)
	}
}

func stopLoopTask(any) error { return errStop }

// afterFunc arms a user timer on this loop, owned by conn if not nil;
// safe from any goroutine.
func (l *loop) afterFunc(d int64, f func(), conn *Conn) (*Timer, error) {
	t := &Timer{when: monotonic() + d, f: f, index: -1, loop: l, conn: conn, cidx: -1, user: true}
	t.state.Store(timerPending)
	if err := l.run(addTimerTask, t); err != nil {
		return nil, err
	}
	return t, nil
}

func wrapSyscall(op string, err error) error { return os.NewSyscallError(op, err) }
