package wake

// Lock is a mutex for calls that must not overlap (Writes) whose waiters
// honour their own deadline, timeout and the descriptor closing, as a
// sync.Mutex could not. Make it with NewLock.
type Lock struct{ ch chan struct{} }

// NewLock returns an unlocked Lock.
func NewLock() Lock { return Lock{ch: make(chan struct{}, 1)} }

// TryAcquire takes the lock if it is free, and reports whether it did;
// then the caller must Release it.
func (l Lock) TryAcquire() bool {
	select {
	case l.ch <- struct{}{}:
		return true
	default:
		return false
	}
}

// Acquire takes the lock, or gives up when one of s fires first; only on
// Ready does the caller hold it and must Release it.
func (l Lock) Acquire(s Stops) Result {
	select {
	case l.ch <- struct{}{}: // uncontended: no select over the stops
		return Ready
	default:
	}
	select {
	case l.ch <- struct{}{}:
		return Ready
	case <-s.Done:
		return Closed
	case <-s.Deadline:
		return Expired
	case <-s.Timeout:
		return Expired
	case <-s.Cancel:
		return Canceled
	}
}

// Release gives the lock back.
func (l Lock) Release() { <-l.ch }
