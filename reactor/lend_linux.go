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
// else when kicked or once the loop has gone lendBackstop without a
// borrower, and never while a caller runs it. A borrower may have run
// rounds meanwhile; p.more and p.stopped say what it left, and the events
// it harvested are all dispatched.
func (p *poller) lendAndWait() {
	p.lend()
	for {
		kicked := false
		select {
		case <-p.reclaim:
			kicked = true
		case <-p.backstop.C:
			p.armed.Store(false) // before lentAt is read: see armBackstop
			if left := p.lentAt.Load() + int64(lendBackstop) - monotonic(); left > 0 && p.role.Load() == roleFree {
				p.armBackstop(time.Duration(left)) // lent again since: not unwatched that long yet
				continue
			}
		}
		if p.role.CompareAndSwap(roleFree, roleLoop) {
			p.reclaims.Add(1)
			if kicked && p.idle() && p.canLend() {
				// A borrower saw to what the kick was for (ran the task,
				// reported the waiter's edge) before the loop goroutine
				// took its loop back: lend it again, rather than park
				// holding it until an event comes.
				p.release()
				continue
			}
			if p.armed.Load() {
				p.backstop.Stop()
				p.armed.Store(false)
			}
			p.n = 0
			return
		}
		// Borrowed: the borrower kicks or arms the backstop when it gives
		// the loop back.
	}
}

// idle reports whether nothing needs the role holder: no tasks, leftover
// work, stop or waiter. Only the role holder calls it.
func (p *poller) idle() bool {
	return !p.more && !p.stopped && p.waiters.Load() == 0 && p.tasks.IsEmpty()
}

// lend lends the loop (the loop goroutine, or a borrower giving it back)
// and makes the loop goroutine take it back at once when there is work a
// borrower may never come for (a task, leftover tasks, a stop, a caller
// parked elsewhere), else once it has gone lendBackstop unborrowed, if a
// registered watcher needs that (all but WaitersOnly ones do). The
// loop's own state is read before the role is released: from then on a
// borrower may own it.
func (p *poller) lend() {
	p.lentAt.Store(monotonic())
	p.release()
}

// release is lend for a holder that may not have looked at the loop's
// events (PollTry): lentAt, the time of the last look, stays as it was,
// so the backstop counts from that look.
func (p *poller) release() {
	busy := p.more || p.stopped
	backstop := p.backstops > 0
	p.role.Store(roleFree)
	if busy || p.waiters.Load() > 0 || !p.tasks.IsEmpty() {
		p.kickLoop()
		return
	}
	if backstop && !p.armed.Load() {
		p.armBackstop(lendBackstop)
	}
}

// armBackstop starts the backstop timer. It is armed at most once per
// lendBackstop, not at every lend: resetting a timer per message costs the
// runtime a wake-up of an idle thread (futex) each time. A timer already
// armed fires, sees from lentAt that the loop was lent again since, and
// re-arms for the rest. lend stores lentAt before it loads armed, and the
// fired timer stores armed before it loads lentAt, so one of the two sees
// the other's write: a lend is never left without a backstop.
func (p *poller) armBackstop(d time.Duration) {
	p.armed.Store(true)
	p.backstop.Reset(d)
}

// kickLoop wakes the loop goroutine if it waits to take its loop back.
func (p *poller) kickLoop() {
	select {
	case p.reclaim <- struct{}{}:
	default:
	}
}

// borrowerPark parks a borrower as the loop goroutine parks, seen by the
// stall watchdog likewise. (Blocking the borrower's thread in epoll_wait
// instead, as gnet's loops wait, was measured worse: about 2.3 context
// switches per round trip against 0.2, in the facade's c1 ping-pong.)
func (p *poller) borrowerPark(step func(uintptr) bool) error {
	defer p.state.Store(waitNone)
	p.waits.Add(1)
	return p.parkEpoll(step)
}

// waiting: see Watcher.Waiting. Announce, then look: lend releases the
// role, then looks at waiters.
func (p *poller) waiting() {
	p.waiters.Add(1)
	p.counted()
}

// counted follows a caller's count in p.waiters: a loop lent to nobody is
// taken back by its goroutine, and a borrower parked on its own system
// call alone (ownStep) is woken to look at the loop's events for it.
func (p *poller) counted() {
	if p.role.Load() == roleFree {
		p.kickLoop()
		return
	}
	if p.own.announced.Load() && p.own.announced.CompareAndSwap(true, false) {
		_ = p.wake() // fails only if the eventfd does: the loop reports that
	}
}

// pollUntil: see Watcher.PollUntil.
func (p *poller) pollUntil(seq *atomic.Uint64, old uint64, done, deadline, timeout <-chan struct{}) bool {
	p.waiters.Add(1) // announce, then try: lend does the reverse
	if !p.role.CompareAndSwap(roleFree, roleBorrowed) {
		p.counted()
		return false
	}
	p.waiters.Add(-1)
	p.borrows.Add(1)
	defer p.lend()
	for seq.Load() == old && !isClosed(done) && !isClosed(deadline) && !isClosed(timeout) && !p.stopped {
		if p.more {
			p.try()
		} else if err := p.borrowerPark(p.tryFn); err != nil {
			p.stopped = true // cannot wait any more: let the loop goroutine see to it
			return true
		}
		if p.round() == errStop {
			p.stopped = true
		}
	}
	return true
}
