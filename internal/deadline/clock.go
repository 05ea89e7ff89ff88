package deadline

import (
	"sync"
	"time"
)

// Clock times the per-call timeouts of one direction of a socket (a read
// timeout: every Read that blocks longer than it fails) on one runtime
// timer that all the calls share. A call that blocks only notes when its
// timeout falls due; the timer is moved only to make it fire earlier, so
// a stream of calls with the same timeout costs no timer operation and no
// allocation per call. A timer that fires before the due time of the
// calls still waiting wakes them anyway: each looks at its own due time
// (Call.Expired) and, if it has not come, waits again (Call.Wait re-arms
// the timer for it). With one call at a time and the same timeout that
// happens at most once per timeout period.
//
// The zero value is ready to use; a Clock must not be copied after first
// use.
type Clock struct {
	mu      sync.Mutex
	t       *time.Timer
	armedAt time.Time     // when t fires; zero while it is not armed
	waiting int           // calls between their first Wait and Done
	ch      chan struct{} // closed when t fires with calls waiting, then replaced
	onExp   func()        // runs after ch closes (OnExpire)
}

// OnExpire makes f run each time the timer wakes waiting calls, just
// after their channel closed, outside the Clock's lock: a call that cannot
// select on the channel (it runs an event loop, say) is woken by it. f must
// not block. Set it before the Clock is shared.
func (k *Clock) OnExpire(f func()) { k.onExp = f }

// Stop releases the timer; for Close. A later call arms it again.
func (k *Clock) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.t != nil {
		k.t.Stop()
	}
	k.armedAt = time.Time{}
}

// Call starts timing one call with timeout d (none if d <= 0). The call's
// clock starts when it first waits.
func (k *Clock) Call(d time.Duration) Call { return Call{k: k, d: d} }

// enter counts a call that begins to wait, due at due, and returns the
// channel that closes when the timer fires while it waits.
func (k *Clock) enter(due time.Time) <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.waiting++
	return k.armLocked(due)
}

// renew returns a fresh channel for a waiting call, due at due, whose
// channel closed before its due time.
func (k *Clock) renew(due time.Time) <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.armLocked(due)
}

// leave ends a call counted by enter.
func (k *Clock) leave() {
	k.mu.Lock()
	k.waiting--
	k.mu.Unlock()
}

// armLocked makes the timer fire no later than due and returns the
// current channel.
func (k *Clock) armLocked(due time.Time) <-chan struct{} {
	if k.ch == nil {
		k.ch = make(chan struct{})
	}
	if !k.armedAt.IsZero() && !k.armedAt.After(due) {
		return k.ch // fires by then: the call is renewed if it still waits
	}
	k.armedAt = due
	if k.t == nil {
		k.t = time.AfterFunc(time.Until(due), k.fire)
	} else {
		k.t.Reset(time.Until(due))
	}
	return k.ch
}

// fire wakes the waiting calls, if any; those not yet due wait again.
func (k *Clock) fire() {
	k.mu.Lock()
	k.armedAt = time.Time{}
	if k.waiting == 0 {
		k.mu.Unlock()
		return
	}
	close(k.ch)
	k.ch = make(chan struct{})
	k.mu.Unlock()
	if f := k.onExp; f != nil {
		f()
	}
}

// Call is one call's timeout on a Clock. The zero Call, and one with no
// timeout, never expire.
type Call struct {
	k   *Clock
	d   time.Duration
	due time.Time       // zero until the first Wait
	ch  <-chan struct{} // the Clock's channel when last looked at
}

// Wait returns the channel that closes when the call's timeout may have
// passed (nil without a timeout): the first Wait starts the call's clock.
// The channel can close early, for another call; Expired tells. Each Wait
// after the channel closed gives a fresh one.
func (c *Call) Wait() <-chan struct{} {
	switch {
	case c.d <= 0 || c.k == nil:
		return nil
	case c.due.IsZero():
		c.due = time.Now().Add(c.d)
		c.ch = c.k.enter(c.due)
	case closed(c.ch) && !c.Expired():
		c.ch = c.k.renew(c.due)
	}
	return c.ch
}

// Expired reports whether the call's own timeout has passed.
func (c *Call) Expired() bool { return !c.due.IsZero() && !time.Now().Before(c.due) }

// Passed reports whether the call must end with a timeout: dl, its
// direction's deadline, or its own timeout has passed. A wait that ended
// because one of their channels closed asks it, since the Clock's channel
// can close early, for another call.
func (c *Call) Passed(dl *Deadline) bool { return dl.Expired() || c.Expired() }

// Done ends the call; it must be called once the call returns.
func (c *Call) Done() {
	if !c.due.IsZero() {
		c.k.leave()
	}
}
