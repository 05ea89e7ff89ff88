package reactor

// The loop side of the memory limit (budget.go): which connections it
// pauses and when they read again. Everything here runs on the
// connection's loop goroutine.

// pausedConns is a loop's list of connections the memory limit paused.
type pausedConns struct{ conns []*Conn }

func (p *pausedConns) add(c *Conn) {
	c.budgetIdx = len(p.conns)
	p.conns = append(p.conns, c)
}

func (p *pausedConns) remove(c *Conn) {
	i, last := c.budgetIdx, len(p.conns)-1
	p.conns[i] = p.conns[last]
	p.conns[i].budgetIdx = i
	p.conns[last] = nil
	p.conns = p.conns[:last]
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
	c.loop.paused.add(c)
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
	c.loop.r.budget.release(c.loop, int64(n))
	if c.state&stBudget != 0 && c.queued.Load() < budgetReadCap {
		c.budgetUnpause() // flush ends with updateInterest
	}
}

// budgetUnpause takes c off its loop's list; the caller updates interest.
func (c *Conn) budgetUnpause() {
	c.state &^= stBudget
	c.loop.paused.remove(c)
	c.loop.r.budget.paused.Add(-1)
}

// budgetDrop gives back to the budget whatever c still had queued; called
// once c refuses writes, as it closes.
func (c *Conn) budgetDrop() {
	if n := c.queued.Swap(0); n != 0 {
		c.loop.r.budget.release(c.loop, n)
	}
	if c.state&stBudget != 0 {
		c.budgetUnpause()
	}
}

// budgetResumeTask resumes every connection the limit paused on a loop,
// once the total has fallen below the low-water mark; if it went over
// again meanwhile they stay paused (one that drained resumed itself).
func budgetResumeTask(p any) error {
	l := p.(*loop)
	for n := len(l.paused.conns); n > 0 && len(l.paused.conns) > 0 && !l.r.budget.over(); n-- {
		c := l.paused.conns[len(l.paused.conns)-1]
		c.budgetUnpause()
		c.updateInterest()
	}
	return nil
}
