package wake

import "sync/atomic"

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
	Done     <-chan struct{} // the descriptor is closing
	Deadline <-chan struct{} // closed when the direction's deadline passes
	Timeout  <-chan struct{} // closed when the call's own timeout passes
	Cancel   <-chan struct{} // the call's context ended

	// Lender, if set, may run the event loop on the waiting goroutine
	// (reactor.Watcher, see Lender). It does only when Cancel is nil:
	// whoever closes Done, Deadline or Timeout, or notifies the Edge from
	// outside the loop, must then also Kick the Lender (for a deadline,
	// deadline.Deadline.OnExpire). A wait with a Cancel parks and is
	// counted as waiting (Lender.Waiting) instead.
	Lender Lender
}

// Lender lets a waiting goroutine run the event loop that reports its
// edges instead of parking until that loop wakes it: the Go runtime then
// wakes the waiter itself, one scheduler hop fewer. *reactor.Watcher
// implements it (Watcher.PollUntil).
type Lender interface {
	// PollUntil runs the loop until *seq != old or done, deadline or
	// timeout is closed, and reports true; or, when the loop cannot be
	// lent now, counts the caller as waiting and reports false at once.
	PollUntil(seq *atomic.Uint64, old uint64, done, deadline, timeout <-chan struct{}) bool
	// Waiting counts a caller that parks without offering to run the
	// loop (its wait can be cancelled): a loop lent to nobody
	// is then taken back by its own goroutine, which reports the edge.
	Waiting()
	// WaitEnded ends, once, a wait for which PollUntil reported false,
	// or that Waiting counted. The Edge calls it when the caller leaves
	// its list: from the Notify that wakes it (so the loop that notified
	// no longer counts it when it next decides whether to lend itself),
	// or from the caller that gives up.
	WaitEnded()
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
