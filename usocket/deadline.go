package usocket

import (
	"sync"
	"sync/atomic"
	"time"
)

// deadline is one settable point in time that wakes blocked calls. It owns
// a channel that is closed when the time passes; moving the deadline
// replaces the channel, so a call that waits on the old one is released at
// the old time or, when the deadline is moved into the past, at once.
// The zero value has no deadline; use it only through its methods.
type deadline struct {
	set atomic.Bool // a deadline is set (armed or already passed)

	mu    sync.Mutex
	timer *time.Timer
	ch    chan struct{} // closed when the deadline passes; nil until needed
}

// reset moves the deadline to t; the zero t removes it.
func (d *deadline) reset(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		if !d.timer.Stop() {
			d.ch = nil // the timer fired or is firing: its channel is spent
		}
		d.timer = nil
	}
	if d.ch != nil && isClosed(d.ch) {
		d.ch = nil
	}
	if t.IsZero() {
		d.set.Store(false)
		return
	}
	d.set.Store(true)
	if d.ch == nil {
		d.ch = make(chan struct{})
	}
	dur := time.Until(t)
	if dur <= 0 {
		close(d.ch)
		return
	}
	ch := d.ch
	d.timer = time.AfterFunc(dur, func() { close(ch) })
}

// wait returns a channel that is closed when the deadline passes, or nil
// (blocks for ever in a select) when no deadline is set.
func (d *deadline) wait() <-chan struct{} {
	if !d.set.Load() {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ch
}

// expired reports whether the deadline has passed. It costs one atomic load
// when no deadline is set.
func (d *deadline) expired() bool {
	if !d.set.Load() {
		return false
	}
	ch := d.wait()
	return ch != nil && isClosed(ch)
}

// stop releases the timer, if any; used on Close.
func (d *deadline) stop() {
	d.mu.Lock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	d.mu.Unlock()
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// callTimer bounds one call by a per-call timeout (SetReadTimeout,
// SetWriteTimeout) on top of the deadline: the call ends at whichever comes
// first, so a timeout never pushes a deadline later. A zero callTimer has
// no timeout; start arms it the first time the call must block.
type callTimer struct {
	d time.Duration
	t *time.Timer
}

// start returns the channel to wait on, arming the timer on first use.
func (ct *callTimer) start() <-chan time.Time {
	if ct.d <= 0 {
		return nil
	}
	if ct.t == nil {
		ct.t = time.NewTimer(ct.d)
	}
	return ct.t.C
}

// stop releases the timer.
func (ct *callTimer) stop() {
	if ct.t != nil {
		ct.t.Stop()
	}
}
