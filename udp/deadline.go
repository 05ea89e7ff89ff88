package udp

import (
	"sync"
	"time"
)

// deadline is one direction's deadline. Blocked calls select on the channel
// from wait, which is closed when the deadline passes; setting a new
// deadline re-arms or replaces it, so calls that are already blocked see
// the change.
type deadline struct {
	mu      sync.Mutex
	timer   *time.Timer
	gen     uint64        // bumped by every set; a stale timer does nothing
	expired chan struct{} // closed when the deadline has passed
}

func (d *deadline) init() { d.expired = make(chan struct{}) }

// set moves the deadline to t; the zero time removes it.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if isClosed(d.expired) {
		d.expired = make(chan struct{})
	}
	if t.IsZero() {
		return
	}
	dur := time.Until(t)
	if dur <= 0 {
		close(d.expired)
		return
	}
	gen := d.gen
	d.timer = time.AfterFunc(dur, func() { d.fire(gen) })
}

// fire closes the channel if no set happened since the timer was armed.
func (d *deadline) fire(gen uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen == gen && !isClosed(d.expired) {
		close(d.expired)
	}
}

// wait returns the channel that is closed when the deadline passes.
func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.expired
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
