package deadline

import (
	"sync"
	"sync/atomic"
	"time"
)

// Deadline is one settable point in time that wakes blocked calls. Its
// channel (Wait) is closed when the time passes. Moving the deadline
// re-arms the same channel while it is still open, so calls already
// blocked on it see the new time; once it has been closed, the next Set
// replaces it. The zero value has no deadline and is ready to use; a
// Deadline must not be copied after first use.
type Deadline struct {
	set atomic.Bool // a deadline is set (armed or already passed)

	mu    sync.Mutex
	timer *time.Timer   // made by the first Set, then moved (Reset)
	due   time.Time     // the deadline, on the monotonic clock; zero when none is set
	ch    chan struct{} // closed when the deadline passes; nil until needed
	onExp func()        // runs each time the channel is closed (OnExpire)
}

// OnExpire makes f run each time the deadline passes, just after its
// channel closes, outside the Deadline's lock: a waiter that cannot select
// on the channel (it runs an event loop, say) is woken by it. f must not
// block. Set it before the Deadline is shared.
func (d *Deadline) OnExpire(f func()) { d.onExp = f }

// Set moves the deadline to t; the zero t removes it. A t in the past
// expires it at once.
func (d *Deadline) Set(t time.Time) {
	d.mu.Lock()
	expired := d.moveLocked(t)
	d.mu.Unlock()
	if expired {
		d.expired()
	}
}

// moveLocked is Set under the lock; it reports whether it closed the
// channel. The one timer is moved, not made anew, so that a Set per call
// (a server's SetReadDeadline before each Read) allocates nothing.
func (d *Deadline) moveLocked(t time.Time) bool {
	d.due = t
	if d.ch == nil || closed(d.ch) {
		d.ch = make(chan struct{})
	}
	if t.IsZero() {
		d.set.Store(false)
		d.stopLocked()
		return false
	}
	d.set.Store(true)
	dur := time.Until(t)
	// Kept as a time on the monotonic clock, as the runtime keeps a
	// *net.TCPConn's deadline: a t without a monotonic reading (from
	// time.Unix, say) does not move when the wall clock is set.
	d.due = time.Now().Add(dur)
	if dur <= 0 {
		d.stopLocked()
		close(d.ch)
		return true
	}
	if d.timer == nil {
		d.timer = time.AfterFunc(dur, d.fire)
	} else {
		d.timer.Reset(dur)
	}
	return false
}

// fire closes the channel once the deadline has passed. A run that is
// early (stale: a Set moved the deadline later after the timer had fired)
// re-arms the timer for what is left, and a deadline removed or already
// closed is left alone.
func (d *Deadline) fire() {
	d.mu.Lock()
	expired := false
	switch {
	case d.due.IsZero() || closed(d.ch):
	case time.Now().Before(d.due):
		d.timer.Reset(time.Until(d.due))
	default:
		close(d.ch)
		expired = true
	}
	d.mu.Unlock()
	if expired {
		d.expired()
	}
}

// expired runs the OnExpire function, if any, after the channel closed.
func (d *Deadline) expired() {
	if f := d.onExp; f != nil {
		f()
	}
}

// Wait returns the channel that is closed when the deadline passes. It is
// never nil: with no deadline set it stays open until a later Set arms it,
// so a call blocked on it sees that Set.
func (d *Deadline) Wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ch == nil {
		d.ch = make(chan struct{})
	}
	return d.ch
}

// Expired reports whether the deadline has passed. It costs one atomic
// load when no deadline is set.
func (d *Deadline) Expired() bool {
	if !d.set.Load() {
		return false
	}
	return closed(d.Wait())
}

// Stop releases the timer, if any, leaving the channel as it is; for
// Close. A later Set arms it again.
func (d *Deadline) Stop() {
	d.mu.Lock()
	d.stopLocked()
	d.mu.Unlock()
}

func (d *Deadline) stopLocked() {
	if d.timer != nil {
		d.timer.Stop() // kept, to be moved by the next Set
	}
}

// closed reports whether ch is closed.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// IsSet reports whether a deadline is set (armed or already passed); one
// atomic load.
func (d *Deadline) IsSet() bool { return d.set.Load() }
