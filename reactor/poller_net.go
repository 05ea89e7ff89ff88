//go:build windows || usocket_netstd

package reactor

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2/pkg/queue"
)

// poller is the net backend's loop, for development on Windows (and on
// any OS with the usocket_netstd build tag, so that CI on Linux runs it).
// There is no kernel readiness here: sockets are the net package's (IOCP
// on Windows, the Go runtime poller elsewhere), a goroutine per socket
// blocks in Read or Accept and posts what it got to the loop as a task
// (netSource, sock_net.go), and writes go out from a goroutine per batch.
// The loop itself only runs tasks and timers: it waits on a wake channel,
// at most until the first timer is due. Handler callbacks still run one at
// a time per connection, on its loop, as on the other backends.
type poller struct {
	lendState
	tasks    queue.AsyncTaskQueue
	wake     chan struct{} // holds a token once a task was queued
	clock    *time.Timer   // ends a wait when the first timer is due
	more     bool          // the last round left tasks queued: do not wait
	park     bool          // set by watchers elsewhere; none exist here
	timers   *timerHeap    // the loop's timers (timer_portable.go)
	fire     func()        // runs due timers
	dispatch func(fd int, gen uint32, ev uint32)
	ran      atomic.Uint64  // tasks run, for Stats
	aux      sync.WaitGroup // the loop's socket goroutines (readers, writers, acceptors)
}

func openPoller(IdleWait) (*poller, error) {
	return &poller{tasks: queue.NewLockFreeQueue(), wake: make(chan struct{}, 1)}, nil
}

// close waits for the loop's socket goroutines, which end once their
// sockets are closed (teardown closed them all).
func (p *poller) close() {
	p.aux.Wait()
	if p.clock != nil {
		p.clock.Stop()
	}
}

// setEvents passes fd's new interest to its source: read interest arms
// its reader (or re-reports what it already read).
func (p *poller) setEvents(fd int, gen uint32, _, want uint32) error {
	if s := sources.Get(fd); s != nil {
		s.setInterest(p, gen, want)
	}
	return nil
}

// unregister has nothing to do: only edge watchers use it, and the net
// backend has none.
func (*poller) unregister(int) error { return nil }

// trigger queues fn(param) and wakes the loop; safe from any goroutine.
func (p *poller) trigger(fn queue.Func, param any) error {
	t := queue.GetTask()
	t.Exec, t.Param = fn, param
	p.tasks.Enqueue(t) // before the token, so a woken loop finds it
	select {
	case p.wake <- struct{}{}:
	default: // a token is pending already
	}
	return nil
}

// poll runs the loop until a task returns errStop: wait for a task or the
// first timer, fire due timers, then run a bounded round of tasks.
func (p *poller) poll(dispatch func(fd int, gen uint32, ev uint32)) error {
	p.dispatch = dispatch
	for {
		if !p.more {
			p.wait()
		}
		if t := p.timers; t != nil && t.armed != 0 && t.armed <= monotonic() {
			p.fire()
		}
		var err error
		if p.more, err = runRound(p.tasks, &p.ran); err != nil {
			return err
		}
	}
}

// wait blocks until a task is queued or the first timer is due.
func (p *poller) wait() {
	t := p.timers
	if t == nil || t.armed == 0 {
		<-p.wake
		return
	}
	d := time.Duration(t.armed - monotonic())
	if d <= 0 {
		return
	}
	if p.clock == nil {
		p.clock = time.NewTimer(d)
	} else {
		p.clock.Reset(d)
	}
	select {
	case <-p.wake:
	case <-p.clock.C:
	}
}

// setLender: this backend never lends its loop.
func (p *poller) setLender(func() bool) {}
