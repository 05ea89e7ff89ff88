package wake

import "time"

// Result says why a wait ended.
type Result int

// The outcomes of Wait and Lock.Acquire.
const (
	// Ready: an edge came (Wait) or the lock is held (Acquire).
	Ready Result = iota
	// Closed: the Stops' Done channel was closed.
	Closed
	// Expired: the deadline or the call's timeout passed.
	Expired
	// Canceled: the call's context ended.
	Canceled
)

// Stops are the events besides readiness that end a wait. A nil channel
// never fires.
type Stops struct {
	Done     <-chan struct{}  // the descriptor is closing
	Deadline <-chan struct{}  // the direction's deadline passed
	Timeout  <-chan time.Time // the call's own timeout passed
	Cancel   <-chan struct{}  // the call's context ended
}

// wait waits for ready or a stop. Closing wins over readiness that came at
// the same time, so a closed descriptor is not used again.
func (s Stops) wait(ready <-chan struct{}) Result {
	select {
	case <-ready:
		select {
		case <-s.Done:
			return Closed
		default:
			return Ready
		}
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
