package reactor

// The loop side of the memory limit (budget.go): which connections it
// pauses and when they read again. Everything here runs on the
// connection's loop goroutine.

// budgetBatch is how far a loop's own count of queued bytes may drift
// from the reactor's total: the loop adds what its connections queue and
// send up locally and moves it to the shared counter once it reaches this
// much either way (and whenever a connection closes), so small messages
// cost no atomic operation. It is the per-loop slack of the limit.
const budgetBatch = 64 << 10

// loopBudget is a loop's share of the memory limit's work.
type loopBudget struct {
	delta  int64   // bytes queued (+) and sent or dropped (-), not yet in the total
	paused []*Conn // connections the limit paused
}

// budgetAccount counts n bytes taken into (or, negative, gone from) the
// queues of the loop's connections.
func (l *loop) budgetAccount(n int64) {
	if n == 0 {
		return
	}
	l.budget.delta += n
	if l.budget.delta >= budgetBatch || l.budget.delta <= -budgetBatch {
		l.budgetPublish()
	}
}

// budgetPublish moves the loop's count to the reactor's total.
func (l *loop) budgetPublish() {
	d := l.budget.delta
	if d == 0 {
		return
	}
	l.budget.delta = 0
	b := &l.r.budget
	t := b.total.Add(d)
	if d > 0 {
		b.check(l, t)
	} else {
		b.released(l, t)
	}
}

func (lb *loopBudget) add(c *Conn) {
	c.budgetIdx = len(lb.paused)
	lb.paused = append(lb.paused, c)
}

func (lb *loopBudget) remove(c *Conn) {
	i, last := c.budgetIdx, len(lb.paused)-1
	lb.paused[i] = lb.paused[last]
	lb.paused[i].budgetIdx = i
	lb.paused[last] = nil
	lb.paused = lb.paused[:last]
	c.budgetIdx = -1
}

// budgetReadBuf is the read buffer while the reactor is over its limit:
// nil, and the connection paused, when it holds budgetReadCap or more of
// unsent output (it produces faster than its peer takes); otherwise the
// loop's buffer cut to budgetReadCap, so a connection goes at most that
// far past the limit before its queue stops it. A closing connection reads
// on: what it reads is dropped.
func (c *Conn) budgetReadBuf() []byte {
	if c.state&stClosing == 0 && c.queued.Load() >= budgetReadCap {
		c.budgetPause()
		return nil
	}
	return c.loop.buf[:min(len(c.loop.buf), budgetReadCap)]
}

func (c *Conn) budgetPause() {
	if c.state&stBudget != 0 {
		return
	}
	c.state |= stBudget
	c.loop.budget.add(c)
	b := &c.loop.r.budget
	b.pauses.Add(1)
	b.paused.Add(1)
	c.updateInterest()
	if testHookBudgetPause != nil {
		testHookBudgetPause(c)
	}
}

// testHookBudgetPause, set only by tests before a reactor starts, hears of
// every pause by the memory limit, on the connection's loop.
var testHookBudgetPause func(c *Conn)

// budgetSent accounts n bytes flushed to the socket, and lets a connection
// the limit paused read again once its own queue has drained.
func (c *Conn) budgetSent(n int) {
	c.loop.budgetAccount(-int64(n))
	if c.state&stBudget != 0 && c.queued.Load() < budgetReadCap {
		c.budgetUnpause() // flush ends with updateInterest
	}
}

// budgetUnpause takes c off its loop's list; the caller updates interest.
func (c *Conn) budgetUnpause() {
	c.state &^= stBudget
	c.loop.budget.remove(c)
	c.loop.r.budget.paused.Add(-1)
}

// budgetDrop gives back to the budget what c's queue still holds, and
// brings the reactor's total up to date; called as c closes, before its
// queue is dropped.
func (c *Conn) budgetDrop() {
	c.loop.budgetAccount(-int64(c.wq.size()))
	c.loop.budgetPublish()
	if c.state&stBudget != 0 {
		c.budgetUnpause()
	}
}

// budgetResumeTask resumes every connection the limit paused on a loop,
// once the total has fallen below the low-water mark; if it went over
// again meanwhile they stay paused (one that drained resumed itself).
func budgetResumeTask(p any) error {
	l := p.(*loop)
	for n := len(l.budget.paused); n > 0 && len(l.budget.paused) > 0 && !l.r.budget.over(); n-- {
		c := l.budget.paused[len(l.budget.paused)-1]
		c.budgetUnpause()
		c.updateInterest()
	}
	return nil
}
