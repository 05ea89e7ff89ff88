package reactor

import (
	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/internal/unix"
)

// This file holds the loop side of Conn: everything here runs on the
// connection's loop goroutine.

func registerConnTask(p any) error {
	p.(*Conn).open()
	return nil
}

// open registers the connection with its loop and calls OnOpen.
func (c *Conn) open() {
	l := c.loop
	if err := l.add(c.fd, c, readEvents); err != nil {
		l.forget(c.fd, 0)
		c.state |= stClosed
		c.markClosed()
		if c.ref.MarkClosing() {
			c.sysClose()
		}
		l.conns.Add(-1)
		c.callClose(err)
		l.r.connClosed()
		return
	}
	c.events = readEvents
	if d := l.r.opts.IdleTimeout; d > 0 {
		c.lastActive = monotonic()
		c.idleT = &Timer{when: c.lastActive + int64(d), f: c.checkIdle, index: -1, loop: l}
		l.timers.add(c.idleT)
	}
	c.sched.Store(true)
	c.callOpen()
	if l.r.draining.Load() {
		_ = c.Close() // Shutdown began after closeAllTask ran on this loop
	}
	c.service()
}

// onEvent handles poller readiness for the connection.
func (c *Conn) onEvent(ev uint32) {
	if ev&writeEvents != 0 && !c.wq.empty() && c.flush(true) {
		c.service()
	}
	if c.state&stClosed != 0 {
		return
	}
	if ev&(readEvents|errEvents) != 0 && c.events&readEvents != 0 {
		c.read()
		return
	}
	if ev&errEvents != 0 {
		c.hangUp()
	}
}

// hangUp handles EPOLLERR or EPOLLHUP while read interest is off (the
// connection is paused, or the peer's FIN was read). An error pending on
// the socket (SO_ERROR) closes the connection with that errno. With none,
// nothing failed that we can name: the connection is not closed, and what
// happened shows when it next reads (the rest of the data, then EOF or the
// error) or writes (the write's own errno). No errno is made up.
func (c *Conn) hangUp() {
	n, err := c.sysPendingError()
	switch {
	case err != nil:
		c.closeNow(wrapSyscall("getsockopt", err))
	case n != 0:
		c.closeNow(wrapSyscall("read", unix.Errno(n)))
	case !c.wq.empty():
		if c.flush(true) { // a socket that cannot send any more fails the write
			c.service()
		}
	}
}

// read performs one read and delivers what it got.
func (c *Conn) read() {
	buf := c.readBuf()
	if buf == nil {
		return
	}
	n, err := c.sysRead(buf)
	switch {
	case n > 0:
		c.loop.stats.bytesRead.Add(uint64(n))
		c.touch()
		if c.state&stClosing != 0 {
			return // draining the peer after our Close: the data is dropped
		}
		c.sched.Store(true)
		c.callData(buf[:n])
		c.service()
	case err == nil && c.sendErr != nil: // n == 0 only because a write took the error
		c.closeNow(c.sendErr)
	case err == nil: // n == 0: the peer's FIN
		c.state |= stPeerEOF
		if c.state&stClosing != 0 && c.wq.empty() {
			c.closeNow(nil)
			return
		}
		c.sched.Store(true)
		c.callEOF()
		c.service()
	case err == unix.EAGAIN:
		c.loop.emptyReads++
	case err == unix.EINTR:
	default:
		c.closeNow(wrapSyscall("read", err))
	}
}

// servicePasses bounds the passes of one service call: a pass after the
// first serves what a WriteNotifier asked for during the one before.
const servicePasses = 4

// service takes what the application queued (bytes and requests) and acts
// on it. Runs after every callback and for every scheduled task.
func (c *Conn) service() {
	for pass := 1; ; pass++ {
		if !c.servicePass(pass < servicePasses) {
			return
		}
	}
}

// servicePass is one pass of service; it reports whether a WriteNotifier
// ran during it with another pass owed to what it asked (see flush).
func (c *Conn) servicePass(more bool) bool {
	if c.state&stClosed != 0 {
		return false
	}
	c.sched.Store(false)
	c.mu.Lock()
	taken := c.takeOutput()
	req, pause := c.req, c.wantPause
	c.req = 0
	c.mu.Unlock()
	c.loop.budgetAccount(int64(taken))

	if req&reqAbort != 0 {
		c.abort(nil)
		return false
	}
	c.setPaused(pause)
	if req&reqCloseWrite != 0 {
		c.state |= stWantShutWr
		c.markLocalFirst()
	}
	if req&reqClose != 0 && c.state&stClosing == 0 {
		c.beginClose()
	}
	return c.flush(more)
}

// takeOutput moves c.out behind the queue and returns how many bytes it
// moved. Called with c.mu held.
func (c *Conn) takeOutput() int {
	p := 0
	if len(c.pend) > 0 {
		p = c.takePending()
	}
	if c.out == nil {
		return p
	}
	n := len(*c.out)
	if n == 0 {
		bufpool.Put(c.out)
	} else {
		c.wq.push(c.out)
	}
	c.out = nil
	return p + n
}

// writeFailed reports whether a write's error ends the connection: any
// but "try again later".
func writeFailed(err error) bool { return err != nil && err != unix.EAGAIN && err != unix.EINTR }

// flush writes what it can, then settles water marks, pending shutdowns and
// poller interest. With hold set, a WriteNotifier it calls runs with the
// connection's service pass marked pending, so what the notifier asks
// (PauseRead, ResumeRead, Write, Close: handler.Echo pauses and resumes
// there) queues no task and writes no eventfd to wake the loop it runs on;
// flush then reports true and the caller owes the connection a service
// pass. Without hold, such requests schedule a task as from anywhere else.
func (c *Conn) flush(hold bool) (owed bool) {
	if !c.wq.empty() {
		if c.sendErr != nil {
			c.closeNow(c.sendErr)
			return false
		}
		n, fromFile, err := c.sysSend()
		if n > 0 {
			c.queued.Add(int64(-n))
			if !fromFile {
				c.budgetSent(n)
			}
			c.touch()
		}
		if writeFailed(err) {
			c.closeNow(wrapSyscall("write", err))
			return false
		}
	}
	if c.wn != nil {
		owed = c.checkWaterMarks(hold)
		if c.state&stClosed != 0 {
			return false
		}
	}
	if c.wq.empty() {
		if c.state&(stWantShutWr|stClosing) != 0 && c.state&stWrShut == 0 {
			c.sysShutdownWrite()
			c.state |= stWrShut
		}
		if c.state&stWrShut != 0 && c.state&stPeerEOF != 0 {
			c.closeNow(nil)
			return false
		}
	}
	c.updateInterest()
	return owed && c.state&stClosed == 0
}

// setPaused records the application's PauseRead or ResumeRead.
func (c *Conn) setPaused(pause bool) {
	switch was := c.state&stPaused != 0; {
	case pause && !was:
		c.state |= stPaused
		c.loop.stats.paused.Add(1)
	case !pause && was:
		c.state &^= stPaused
		c.loop.stats.paused.Add(-1)
	}
}

// checkWaterMarks tells the WriteNotifier when the queue crosses a water
// mark; it reports whether the notifier ran with the service pass held
// (see flush).
func (c *Conn) checkWaterMarks(hold bool) bool {
	q := c.queued.Load()
	o := &c.loop.r.opts
	var blocked bool
	switch {
	case c.state&stBlocked == 0 && q >= int64(o.WriteHighWater):
		c.state |= stBlocked
		blocked = true
	case c.state&stBlocked != 0 && q <= int64(o.WriteLowWater):
		c.state &^= stBlocked
	default:
		return false
	}
	if hold {
		c.sched.Store(true) // cleared by the pass the caller owes
	}
	c.callNotify(blocked)
	return hold
}

// updateInterest registers exactly the events the connection waits for.
func (c *Conn) updateInterest() {
	var want uint32
	if c.state&(stPaused|stPeerEOF|stBudget) == 0 || (c.state&stClosing != 0 && c.state&stPeerEOF == 0) {
		want |= readEvents
	}
	if !c.wq.empty() {
		want |= writeEvents
	}
	if want == c.events {
		return
	}
	if err := c.loop.setEvents(c.fd, c.events, want); err != nil {
		c.closeNow(err)
		return
	}
	c.events = want
}

// beginClose starts a graceful close: keep flushing, then shut down the
// write side and wait for the peer's FIN, all bounded by the linger time.
func (c *Conn) beginClose() {
	c.state |= stClosing
	c.markLocalFirst()
	c.lingerT = &Timer{when: monotonic() + int64(c.loop.r.opts.Linger), f: c.lingerExpired, index: -1, loop: c.loop}
	c.loop.timers.add(c.lingerT)
}

// markLocalFirst notes that this side began the close, unless the peer's
// FIN came first.
func (c *Conn) markLocalFirst() {
	if c.state&stPeerEOF == 0 {
		c.state |= stLocalFirst
	}
}

func (c *Conn) lingerExpired() {
	if c.state&stClosed != 0 {
		return
	}
	if !c.wq.empty() { // output still queued: give up on it
		c.abort(ErrLingerTimeout)
		return
	}
	c.closeNow(nil) // everything was sent; the peer just never closed
}

func (c *Conn) checkIdle() {
	if c.state&stClosed != 0 {
		return
	}
	d := int64(c.loop.r.opts.IdleTimeout)
	if idle := monotonic() - c.lastActive; idle >= d {
		c.closeNow(ErrIdleTimeout)
		return
	}
	c.idleT.when = c.lastActive + d
	c.loop.timers.add(c.idleT)
}

func (c *Conn) touch() {
	if c.idleT != nil {
		c.lastActive = monotonic()
	}
}

// abort resets the connection (SO_LINGER 0) and closes it.
func (c *Conn) abort(reason error) {
	c.state |= stAborted
	c.sysResetOnClose()
	c.closeNow(reason)
}

// closeNow closes the fd and reports OnClose exactly once.
func (c *Conn) closeNow(reason error) {
	if c.state&stClosed != 0 {
		return
	}
	c.state |= stClosed
	l := c.loop
	l.timers.remove(c.idleT)
	l.timers.remove(c.lingerT)
	for len(c.timers) > 0 {
		t := c.timers[len(c.timers)-1]
		l.timers.remove(t)
		t.state.Store(timerIdle) // Stop and Reset now report it was not pending
	}
	c.markClosed()
	c.wq.reset()
	c.queued.Store(0)
	c.setPaused(false)
	l.stats.countClose(reason, c.state&stAborted != 0, c.state&stLocalFirst != 0)
	l.forget(c.fd, c.events)
	c.events = 0
	if c.ref.MarkClosing() { // else the last Control closes it
		c.sysClose()
	}
	l.conns.Add(-1)
	c.callClose(reason)
	l.r.connClosed()
}

// markClosed refuses further calls and drops queued output.
func (c *Conn) markClosed() {
	c.mu.Lock()
	c.closed, c.wclosed, c.final = true, true, true
	out := c.out
	c.out = nil
	c.dropPending()
	c.mu.Unlock()
	bufpool.Put(out)
	c.budgetDrop()
}

// shutdown is called when the loop stops.
func (c *Conn) shutdown(err error) { c.closeNow(err) }
