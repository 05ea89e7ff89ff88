//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"sync/atomic"
	"time"
)

// lendBackstop bounds how long a lent loop goes unwatched when no caller
// borrows it.
var lendBackstop = 200 * time.Microsecond // a variable for tests

// lendAndWait lends the idle loop (see lend.go) and returns once the loop
// goroutine has it back: at once if a task is queued or a caller waits,
// else when kicked or after the backstop, and never while a caller runs
// it. A borrower may have run rounds meanwhile; p.more and p.stopped say
// what it left, and the events it harvested are all dispatched.
func (p *poller) lendAndWait() {
	p.lend()
	for {
		select {
		case <-p.reclaim:
		case <-p.backstop.C:
		}
		if p.role.CompareAndSwap(roleFree, roleLoop) {
			p.backstop.Stop()
			p.n = 0
			return
		}
		// Borrowed: the borrower kicks or re-arms the backstop when it
		// gives the loop back.
	}
}

// lend lends the loop (the loop goroutine, or a borrower giving it back)
// and makes the loop goroutine take it back at once when there is work a
// borrower may never come for (a task, leftover tasks, a stop, a caller
// parked elsewhere), else after the backstop. The loop's own state is
// read before the role is released: from then on a borrower may own it.
func (p *poller) lend() {
	busy := p.more || p.stopped
	p.role.Store(roleFree)
	if busy || p.waiters.Load() > 0 || !p.tasks.IsEmpty() {
		p.kickLoop()
		return
	}
	p.backstop.Reset(lendBackstop)
}

// kickLoop wakes the loop goroutine if it waits to take its loop back.
func (p *poller) kickLoop() {
	select {
	case p.reclaim <- struct{}{}:
	default:
	}
}

// borrowerPark parks a borrower as the loop goroutine parks, seen by the
// stall watchdog likewise.
func (p *poller) borrowerPark() error {
	defer p.state.Store(waitNone)
	return p.parkEpoll(p.waits.Add(1))
}

// pollUntil: see Watcher.PollUntil.
func (p *poller) pollUntil(seq *atomic.Uint64, old uint64, done <-chan struct{}) bool {
	p.waiters.Add(1) // announce, then try: lend does the reverse
	if !p.role.CompareAndSwap(roleFree, roleBorrowed) {
		return false
	}
	p.waiters.Add(-1)
	defer p.lend()
	for seq.Load() == old && !isClosed(done) && !p.stopped {
		if p.more {
			p.try()
		} else if err := p.borrowerPark(); err != nil {
			p.stopped = true // cannot wait any more: let the loop goroutine see to it
			return true
		}
		if p.round() == errStop {
			p.stopped = true
		}
	}
	return true
}
