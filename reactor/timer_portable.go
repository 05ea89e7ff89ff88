//go:build !linux || usocket_portable || usocket_netstd

package reactor

// timerClock needs no descriptor on the portable and net backends: the
// poller's wait ends when the heap's earliest timer is due
// (timerHeap.armed), and the poller then fires the heap.
type timerClock struct{}

// openTimers hands the loop's timer heap to its poller.
func (l *loop) openTimers() error {
	l.poller.timers = &l.timers
	l.poller.fire = func() { l.timers.fire(l.safeCall) }
	return nil
}

// arm does nothing: the poller reads the heap's armed time at each wait,
// and every change to the heap happens on the loop before it waits again.
func (timerClock) arm(int64) {}

func (timerClock) drain() {}

func (timerClock) closeClock() {}
