package wake

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countLender never lends its loop: it only counts the callers waiting,
// as reactor.Watcher does when its loop is not lent.
type countLender struct {
	waiting atomic.Int32
	under   atomic.Bool // WaitEnded ran more often than the waits began
}

func (l *countLender) PollUntil(*atomic.Uint64, uint64, <-chan struct{}, <-chan struct{}, <-chan struct{}) bool {
	l.waiting.Add(1)
	return false
}

func (l *countLender) Waiting() { l.waiting.Add(1) }

func (l *countLender) WaitEnded() {
	if l.waiting.Add(-1) < 0 {
		l.under.Store(true)
	}
}

// waitParked waits until e lists a waiter.
func waitParked(t *testing.T, e *Edge) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !e.parked.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the waiter never announced itself")
		}
		runtime.Gosched()
	}
}

// TestNotifyEndsCount: the Notify that wakes a counted caller ends its
// count before it returns, so the loop that notified sees no caller
// waiting when it next looks, even before the woken caller runs. (When
// the caller ended its own count, a loop that woke it found it still
// counted, took itself back instead of lending, and the caller's next
// wait could not borrow it: every later wake-up took the slower hand-off.)
func TestNotifyEndsCount(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the woken caller cannot run before the check
	for _, cancel := range []bool{false, true} {
		var e Edge
		l := &countLender{}
		s := Stops{Lender: l}
		if cancel {
			s.Cancel = make(chan struct{}) // counted by Waiting instead of PollUntil
		}
		got := make(chan Result, 1)
		seq := e.Seq()
		go func() { got <- e.Wait(seq, s) }()
		waitParked(t, &e)
		e.Notify()
		if n := l.waiting.Load(); n != 0 {
			t.Errorf("cancel=%v: %d callers still counted as waiting once Notify returned, want 0", cancel, n)
		}
		if r := <-got; r != Ready {
			t.Errorf("cancel=%v: Wait = %v, want Ready", cancel, r)
		}
		if n := l.waiting.Load(); n != 0 || l.under.Load() {
			t.Errorf("cancel=%v: count after the wait = %d (ended twice: %v), want 0", cancel, n, l.under.Load())
		}
	}
}

// TestWaitCountEndsOnce: callers that give up (deadline) race with
// Notify; each count ends exactly once, whoever takes the caller off.
func TestWaitCountEndsOnce(t *testing.T) {
	const waiters, rounds = 8, 2000
	var e Edge
	l := &countLender{}
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range rounds {
				var expire chan struct{}
				if (i+j)%3 == 0 {
					expire = make(chan struct{})
					close(expire)
				}
				e.Wait(e.Seq(), Stops{Lender: l, Deadline: expire})
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timeout := time.After(testTimeout)
	for open := true; open; {
		select {
		case <-done:
			open = false
		case <-timeout:
			t.Fatal("waiters did not finish")
		default:
			e.Notify() // until every waiter is done, so none stays parked
			runtime.Gosched()
		}
	}
	if n := l.waiting.Load(); n != 0 || l.under.Load() {
		t.Fatalf("count after every wait = %d (ended twice: %v), want 0", n, l.under.Load())
	}
}
