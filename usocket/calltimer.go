package usocket

import "time"

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
