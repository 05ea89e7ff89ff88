package wake

import (
	"sync"
	"sync/atomic"
)

// Edge is one direction's readiness (readable, writable, a connection to
// accept) of a descriptor driven by an event loop. The zero value is ready
// to use; an Edge must not be copied after first use.
type Edge struct {
	seq    atomic.Uint64 // edges reported so far
	parked atomic.Bool   // waiters may be listed: Notify must wake them

	mu      sync.Mutex
	waiters []waiter // the parked callers
}

// waiter is a parked caller: its token channel, and the Lender that counts
// it as waiting, if any. Whoever takes it off the list (Notify, or the
// caller giving up) ends that count, so a caller that Notify woke no
// longer counts as waiting by the time the loop that woke it looks.
type waiter struct {
	ch      chan struct{}
	counted Lender
}

// tokens are the callers' one-slot wake-up channels, reused so that
// parking does not allocate in steady state.
var tokens = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

// Seq returns the number of edges reported so far. A caller reads it
// before the system call whose failure would make it wait.
func (e *Edge) Seq() uint64 { return e.seq.Load() }

// Counter returns the count of edges itself and its value now, for a
// caller that waits by running the event loop (reactor.Trier): the count
// moving past the value says an edge came.
func (e *Edge) Counter() (*atomic.Uint64, uint64) { return &e.seq, e.seq.Load() }

// Notify reports an edge: every caller parked on e wakes, and callers that
// read Seq before it and have not parked yet will not park. It never
// blocks and does not allocate; it costs two atomic operations when nobody
// waits. Safe from the loop goroutine.
func (e *Edge) Notify() {
	e.seq.Add(1)
	if !e.parked.Load() {
		return
	}
	e.mu.Lock()
	for i, w := range e.waiters {
		if w.counted != nil {
			w.counted.WaitEnded()
		}
		select {
		case w.ch <- struct{}{}:
		default:
		}
		e.waiters[i] = waiter{}
	}
	e.waiters = e.waiters[:0]
	e.parked.Store(false)
	e.mu.Unlock()
}

// Wait parks until an edge comes after seq (at once if one came already)
// or one of s fires. With a Lender and no Cancel it first offers to run
// the event loop itself; otherwise it is counted as waiting (see Lender)
// until it is woken or gives up.
func (e *Edge) Wait(seq uint64, s Stops) Result {
	var counted Lender
	if l := s.Lender; l != nil {
		if s.Cancel == nil {
			if l.PollUntil(&e.seq, seq, s.Done, s.Deadline, s.Timeout) {
				return s.wait(closedChan) // an edge came, or a stop: Closed wins
			}
		} else {
			l.Waiting()
		}
		counted = l
	}
	e.mu.Lock()
	e.parked.Store(true) // announce, then re-check: Notify does the reverse
	if e.seq.Load() != seq {
		e.mu.Unlock()
		if counted != nil {
			counted.WaitEnded()
		}
		return s.wait(closedChan)
	}
	ch := tokens.Get().(chan struct{})
	e.waiters = append(e.waiters, waiter{ch: ch, counted: counted})
	e.mu.Unlock()
	r := s.wait(ch)
	if r != Ready && e.forget(ch) && counted != nil {
		counted.WaitEnded() // still listed: Notify did not end the count
	}
	// No Notify can send on ch any more: drain it and reuse it.
	select {
	case <-ch:
	default:
	}
	tokens.Put(ch)
	return r
}

// forget takes ch off the waiters and reports true, or reports false if
// a Notify already did.
func (e *Edge) forget(ch chan struct{}) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	found := false
	for i, w := range e.waiters {
		if w.ch == ch {
			last := len(e.waiters) - 1
			e.waiters[i] = e.waiters[last]
			e.waiters[last] = waiter{}
			e.waiters = e.waiters[:last]
			found = true
			break
		}
	}
	if len(e.waiters) == 0 {
		e.parked.Store(false)
	}
	return found
}

// closedChan makes a wait end at once.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()
