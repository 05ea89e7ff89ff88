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
	defer p.release()
	o := &p.own
	o.fd, o.t, o.ok, o.waited = fd, t, false, false
	defer o.end()
	if p.backstops > 0 && monotonic()-p.lentAt.Load() >= int64(lendBackstop) {
		// Nobody looked for a backstop's time: callers whose calls are
		// done at once would otherwise keep a listener's edges unseen.
		p.lookAndRun()
	}
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
		}
		if p.round() == errStop { // left-over tasks, or what the stall watchdog's look found
			p.stopped = true
		}
		if o.ok {
			return true
		}
	}
	return true
}

// ownStep is RawConn.Read's callback for a borrower with its own call: it
// reports true to stop parking. It makes the call; if that fails, it
// looks at the loop's events after a wake-up the call does not explain,
// and before the park when something else may need events that came
// before the park was prepared; it runs the rounds of what it finds
// itself, so the park goes on without being prepared again (which would
// forget the edges that came meanwhile, and cost a call again).
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
	if o.woken {
		// A wake-up within the same park: to the stall watchdog, a new
		// wait (it ends parks it sees unchanged at two looks in a row).
		p.waits.Add(1)
	} else {
		o.woken = true
		o.announced.Store(true) // announce, then check: counted does the reverse
		if !p.others() {
			return p.parkOn() // on the call alone
		}
		o.announced.Store(false)
	}
	for p.look() {
		full := p.n == len(p.events)
		err := p.round()
		p.n = 0
		switch {
		case err == errStop:
			p.stopped = true
			return true
		case p.more || o.stop():
			return true
		case !full:
			return p.parkOn() // events that come from now on end the park
		}
	}
	return p.parkOn()
}

// parkOn is ownStep's answer when the park goes on.
func (p *poller) parkOn() bool {
	if p.testOwnParks != nil {
		p.testOwnParks.Add(1)
	}
	return false
}

// look is a look at the loop's events (try) that the backstop counts from
// (lentAt); it reports whether events came, in p.events.
func (p *poller) look() bool {
	p.lentAt.Store(monotonic())
	return p.try()
}

// lookAndRun looks and runs the round of what it found, as a role holder
// outside a park does; a stop task sets p.stopped.
func (p *poller) lookAndRun() {
	if p.look() && p.round() == errStop {
		p.stopped = true
	}
	p.n = 0
}

// others reports whether something besides the borrower's own call may
// need the loop's events now (see the top of the file).
func (p *poller) others() bool {
	return p.backstops > 0 || p.waiters.Load() > 0 || p.wakeup.Load() != 0 ||
		!p.tasks.IsEmpty() || (p.canLend != nil && !p.canLend())
}

// rescue looks once the stall watchdog ended a park and reports whether
// the park outlived something ready. For a borrower parked on its own call
// that is the call being possible: events of others may have been left in
// the set on purpose (see the top of the file), and its own descriptor's
// event may be one its last wake-up left there.
func (p *poller) rescue() bool {
	found := p.look()
	o := &p.own
	if !o.waited {
		return found
	}
	o.announced.Store(false)
	if o.t.Try() {
		o.ok = true
		return true
	}
	return false
}
