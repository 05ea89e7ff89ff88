//go:build !usocket_portable && !usocket_netstd

package reactor

import "sync/atomic"

// A borrower that brings its own system call (PollTry) waits as a
// goroutine blocked in a *net.TCPConn does: once the park in the Go poller
// is prepared it makes its call, and after a wake-up it makes its call
// again before anything else. A plain borrower (PollUntil) instead looks
// at the loop's events before it parks and after it wakes, two
// epoll_wait calls per wake-up that net does not make.
//
// Preparing the park forgets a readiness of the epoll descriptor that the
// Go poller recorded while nobody was parked on it; the events behind it
// stay in the loop's epoll set, unreported. The borrower's own call
// covers its own socket. It skips the look only while nothing else can
// need those events: no task queued or eventfd write pending, no caller
// counted as waiting on the loop, no watcher that needs the backstop, the
// loop still lendable. Callers counted later find the borrower announced
// (ownWait.announced) and wake it through the eventfd; the borrower
// announces before it checks, the caller counts itself before it looks
// at the announcement, so one of the two sees the other. Events left in
// the set are reported by the next look, the borrower's or the loop
// goroutine's.

// ownWait is the state of a borrower that brought its own call; the role
// holder owns all of it but announced.
type ownWait struct {
	fd                      int // the borrower's descriptor
	t                       Trier
	seq                     *atomic.Uint64
	old                     uint64
	done, deadline, timeout <-chan struct{}
	woken                   bool // ownStep ran since the park was prepared: the next run follows a wake-up
	ok                      bool // t.Try reported done
	waited                  bool // t.Try failed once: the call waits, with t.Stops (Stats.Borrows)
	// announced: the borrower parks on its own call alone, without having
	// looked at the loop's events. Set by the borrower, cleared by either
	// (counted).
	announced atomic.Bool
}

// stop reports whether a stop of t.Stops came; false until t.Try failed.
func (o *ownWait) stop() bool {
	return o.waited && (o.seq.Load() != o.old || isClosed(o.done) || isClosed(o.deadline) || isClosed(o.timeout))
}

// end forgets the call: t may hold the caller's buffer.
func (o *ownWait) end() {
	o.t, o.seq, o.done, o.deadline, o.timeout, o.waited = nil, nil, nil, nil, nil, false
}

// pollTry: see Watcher.PollTry.
func (p *poller) pollTry(fd int, t Trier) bool {
	if !p.role.CompareAndSwap(roleFree, roleBorrowed) {
		return false
	}
	defer p.lend()
	o := &p.own
	o.fd, o.t, o.ok, o.waited = fd, t, false, false
	defer o.end()
	for !p.stopped && !o.stop() {
		if p.more {
			p.try()
		} else {
			o.woken = false
			p.n = 0
			if err := p.borrowerPark(p.ownFn); err != nil {
				p.stopped = true // cannot wait any more: let the loop goroutine see to it
				return true
			}
			if o.ok {
				return true
			}
		}
		if p.round() == errStop {
			p.stopped = true
		}
	}
	return true
}

// ownStep is RawConn.Read's callback for a borrower with its own call: it
// reports true to stop parking, with p.events filled if it looked at the
// loop's events and found some.
func (p *poller) ownStep() bool {
	o := &p.own
	o.announced.Store(false)
	if o.stop() {
		return true
	}
	if o.t.Try() {
		o.ok = true
		return true
	}
	if !o.waited {
		o.seq, o.old, o.done, o.deadline, o.timeout = o.t.Stops()
		o.waited = true
		p.borrows.Add(1)
		if o.stop() {
			return true
		}
	}
	if o.woken && p.try() { // a wake-up the call does not explain
		return true
	}
	o.woken = true
	o.announced.Store(true) // announce, then check: counted does the reverse
	if p.others() {
		o.announced.Store(false)
		return p.try()
	}
	return false
}

// others reports whether something besides the borrower's own call may
// need the loop's events now (see the top of the file).
func (p *poller) others() bool {
	return p.backstops > 0 || p.waiters.Load() > 0 || p.wakeup.Load() != 0 ||
		!p.tasks.IsEmpty() || (p.canLend != nil && !p.canLend())
}

// missedOwn reports whether the events of the last look include one for
// the borrower's own descriptor: when the stall watchdog ended its park,
// only that is a lost wake-up. Events of others may have been left in the
// set on purpose (see the top of the file).
func (p *poller) missedOwn() bool {
	for i := 0; i < p.n; i++ {
		if int(p.events[i].Fd) == p.own.fd {
			return true
		}
	}
	return false
}
