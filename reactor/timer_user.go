package reactor

import "time"

// The states of a timer made by AfterFunc. Stop and Reset change them from
// any goroutine; the loop runs f only if it moves the timer from pending
// to idle itself (claim), so a Stop that saw it pending wins for good.
const (
	timerIdle      int32 = iota // stopped, fired, or its connection ended
	timerPending                // armed: f runs when it is due
	timerResetting              // Reset asked for a new time; a task arms it
)

// Stop prevents the timer from firing. It reports whether the call stopped
// it: true means f had not started and will not run (unless Reset arms the
// timer again); false means f has run or is about to, or the timer was
// stopped already, or its connection has ended. Safe from any goroutine,
// and it does not wait for the loop: the heap entry goes later.
func (t *Timer) Stop() bool {
	if t == nil || !t.user {
		return false
	}
	if t.state.Swap(timerIdle) == timerIdle {
		return false
	}
	_ = t.loop.run(stopTimerTask, t)
	return true
}

// Reset makes the timer fire d from now, whether it had fired, been
// stopped or was still pending; it reports whether it was pending (as
// time.Timer.Reset does). A Reset made before f started replaces that
// run. It fails (false, and the timer stays as it is) once Close or Abort
// was called on the timer's connection or the reactor is stopping, as
// AfterFunc does. Safe from any
// goroutine.
func (t *Timer) Reset(d time.Duration) bool {
	if t == nil || !t.user || (t.conn != nil && t.conn.isClosed()) {
		return false
	}
	t.next.Store(monotonic() + int64(d))
	old := t.state.Swap(timerResetting)
	if err := t.loop.run(resetTimerTask, t); err != nil {
		t.state.CompareAndSwap(timerResetting, timerIdle)
		return false
	}
	return old != timerIdle
}

// claim is the loop's side: it reports whether a due timer's f may run.
func (t *Timer) claim() bool { return !t.user || t.state.CompareAndSwap(timerPending, timerIdle) }

func addTimerTask(p any) error {
	t := p.(*Timer)
	if t.state.Load() == timerPending { // a Reset queued since arms it itself
		t.arm()
	}
	return nil
}

func stopTimerTask(p any) error {
	t := p.(*Timer)
	if t.state.Load() == timerIdle { // not armed again since
		t.loop.timers.remove(t)
	}
	return nil
}

func resetTimerTask(p any) error {
	t := p.(*Timer)
	// The first task after a run of Resets takes the latest time; the
	// others find the timer pending and leave it.
	if t.state.CompareAndSwap(timerResetting, timerPending) {
		t.when = t.next.Load()
		t.arm()
	}
	return nil
}

// arm puts a user timer in its loop's heap (again), tied to its
// connection so that the timer ends with it. Runs on the loop.
func (t *Timer) arm() {
	if c := t.conn; c != nil {
		if c.state&stClosed != 0 { // the connection ended: its timers are gone
			t.state.Store(timerIdle)
			return
		}
		if t.cidx < 0 {
			t.cidx = len(c.timers)
			c.timers = append(c.timers, t)
		}
	}
	t.loop.timers.add(t)
}
