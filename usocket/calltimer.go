package usocket

import "time"

// callTimer bounds one call by a per-call timeout (SetReadTimeout,
// SetWriteTimeout) on top of the deadline: the call ends at whichever comes
// first, so a timeout never pushes a deadline later. A zero callTimer has
// no timeout; start arms it the first time the call must block. When the
// timeout passes, its channel closes and c is kicked: a call running the
// event loop itself (wake.Lender) waits on no channel.
type callTimer struct {
	d  time.Duration
	c  *conn // kicked when the timeout passes
	t  *time.Timer
	ch chan struct{}
}

// start returns the channel that closes when the timeout passes, arming
// the timer on first use.
func (ct *callTimer) start() <-chan struct{} {
	if ct.d <= 0 {
		return nil
	}
	if ct.t == nil {
		ch, c := make(chan struct{}), ct.c
		ct.ch = ch
		ct.t = time.AfterFunc(ct.d, func() {
			close(ch)
			c.kick()
		})
	}
	return ct.ch
}

// stop releases the timer.
func (ct *callTimer) stop() {
	if ct.t != nil {
		ct.t.Stop()
	}
}
