package reactortls

import (
	"sync"

	"github.com/usocket-go/usocket/internal/ilist"
)

// slot states of a connection, guarded by limiter.mu.
const (
	slotNone    = iota
	slotWaiting // in the wait list
	slotGranted // given a slot; its start is queued on its loop
	slotRunning // its handshake goroutine runs
)

// limiter bounds the handshakes in progress. A connection beyond the
// bound waits in a list (no goroutine; its socket is not read); a freed
// slot goes to the oldest waiter, whose handshake then starts on its loop.
type limiter struct {
	mu      sync.Mutex
	free    int
	waiting ilist.List[tlsConn, *tlsConn] // oldest first
}

// acquire gives t a slot, or puts it in the wait list and reports false.
func (l *limiter) acquire(t *tlsConn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.free > 0 {
		l.free--
		t.slot = slotRunning
		return true
	}
	t.slot = slotWaiting
	l.waiting.PushBack(t)
	if testHookWaiting != nil {
		testHookWaiting()
	}
	return false
}

// testHookWaiting, set only by tests, runs when a connection starts
// waiting for a slot.
var testHookWaiting func()

// testHookExecuteFailed, set only by tests, runs in handOn after a granted
// waiter turned out closed, before the limiter is locked again: it widens
// the window in which that waiter's OnClose hands the slot on first.
var testHookExecuteFailed func(w *tlsConn)

// release frees t's slot (t's handshake ended), handing it to a waiter.
func (l *limiter) release(t *tlsConn) {
	l.mu.Lock()
	t.slot = slotNone
	l.handOn()
}

// handOn gives one slot to the oldest waiter whose connection is still
// there, or back to the pool. Called with l.mu held; unlocks it.
func (l *limiter) handOn() {
	for w := l.waiting.Front(); w != nil; w = l.waiting.Front() {
		l.waiting.Remove(w)
		w.slot = slotGranted
		l.mu.Unlock()
		if w.c.Execute(w.startFn) == nil {
			return
		}
		if testHookExecuteFailed != nil {
			testHookExecuteFailed(w)
		}
		l.mu.Lock() // the waiter closed meanwhile: its OnClose saw it granted
		if w.slot != slotGranted {
			l.mu.Unlock()
			return // OnClose already handed the slot on
		}
		w.slot = slotNone
	}
	l.free++
	l.mu.Unlock()
}

// started marks a granted waiter running; false if it lost its slot.
func (l *limiter) started(t *tlsConn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.slot != slotGranted {
		return false
	}
	t.slot = slotRunning
	return true
}

// leave takes a closed connection out: out of the wait list, or its
// granted slot handed on. A running handshake releases its own.
func (l *limiter) leave(t *tlsConn) {
	l.mu.Lock()
	switch t.slot {
	case slotWaiting:
		l.waiting.Remove(t)
		t.slot = slotNone
	case slotGranted:
		t.slot = slotNone
		l.handOn()
		return
	}
	l.mu.Unlock()
}

// waiters counts the connections waiting for a slot.
func (l *limiter) waiters() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for t := l.waiting.Front(); t != nil; t = l.waiting.Next(t) {
		n++
	}
	return n
}
