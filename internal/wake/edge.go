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
	parked atomic.Bool   // ch may have waiters: Notify must close it

	mu sync.Mutex
	ch chan struct{} // closed by the next Notify; nil when nobody waits
}

// closedChan is returned to a caller that must not park.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// Seq returns the number of edges reported so far. A caller reads it
// before the system call whose failure would make it wait.
func (e *Edge) Seq() uint64 { return e.seq.Load() }

// Notify reports an edge: every caller parked on e wakes, and callers that
// read Seq before it and have not parked yet will not park. It never
// blocks, and it costs two atomic operations when nobody waits; safe from
// the loop goroutine.
func (e *Edge) Notify() {
	e.seq.Add(1)
	if !e.parked.Load() {
		return
	}
	e.mu.Lock()
	if e.ch != nil {
		close(e.ch)
		e.ch = nil
	}
	e.parked.Store(false)
	e.mu.Unlock()
}

// Ready returns a channel to park on: it is closed by the first Notify
// after seq, and is already closed when one came since seq was read.
func (e *Edge) Ready(seq uint64) <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.parked.Store(true) // announce, then re-check: Notify does the reverse
	if e.seq.Load() != seq {
		return closedChan
	}
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	return e.ch
}
