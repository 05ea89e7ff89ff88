package wake

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testTimeout = 10 * time.Second

// TestEdgeSinceSeq: an edge between Seq and Wait makes Wait return at
// once; without one, Wait parks until the next Notify.
func TestEdgeSinceSeq(t *testing.T) {
	var e Edge
	seq := e.Seq()
	e.Notify()
	if r := e.Wait(seq, Stops{}); r != Ready {
		t.Fatalf("Wait after an edge = %v, want Ready", r)
	}
	seq = e.Seq()
	woke := make(chan Result, 1)
	go func() { woke <- e.Wait(seq, Stops{}) }()
	deadline := time.Now().Add(testTimeout)
	for !e.parked.Load() { // until the waiter announced itself
		if time.Now().After(deadline) {
			t.Fatal("the waiter never announced itself")
		}
		runtime.Gosched()
	}
	e.Notify()
	select {
	case r := <-woke:
		if r != Ready {
			t.Fatalf("Wait = %v, want Ready", r)
		}
	case <-time.After(testTimeout):
		t.Fatal("Notify did not wake the parked waiter")
	}
}

// TestEdgeStops: closing, a deadline, a timeout and a cancel end a wait
// with their Result; closing wins over a simultaneous edge.
func TestEdgeStops(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	for _, tt := range []struct {
		s    Stops
		want Result
	}{
		{Stops{Done: closed}, Closed},
		{Stops{Deadline: closed}, Expired},
		{Stops{Timeout: closed}, Expired},
		{Stops{Cancel: closed}, Canceled},
	} {
		var e Edge
		if r := e.Wait(e.Seq(), tt.s); r != tt.want {
			t.Errorf("Wait with %+v = %v, want %v", tt.s, r, tt.want)
		}
		if n := len(e.waiters); n != 0 || e.parked.Load() {
			t.Errorf("a wait that ended by a stop left %d waiters listed", n)
		}
	}
	var e Edge
	seq := e.Seq()
	e.Notify()
	if r := e.Wait(seq, Stops{Done: closed}); r != Closed {
		t.Errorf("Wait with an edge and Done = %v, want Closed", r)
	}
}

// TestEdgeNoLostWakeup: producers add work and Notify; consumers take
// work with the Seq/Wait protocol. Every unit is taken and every consumer
// ends; a lost wake-up would leave a consumer parked with work left.
func TestEdgeNoLostWakeup(t *testing.T) {
	const producers, consumers, units = 4, 4, 20000
	var e Edge
	var work, taken atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seq := e.Seq()
				if n := work.Load(); n > 0 && work.CompareAndSwap(n, n-1) {
					if taken.Add(1) == units {
						close(stop)
					}
					continue
				}
				if e.Wait(seq, Stops{Done: stop}) == Closed {
					return
				}
			}
		}()
	}
	for range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range units / producers {
				work.Add(1)
				e.Notify()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(testTimeout):
		close(stop)
		<-done
		t.Fatalf("took %d of %d units: a consumer parked with work left", taken.Load(), units)
	}
}

// TestLock: Acquire serialises, and a waiter gives up on each stop.
func TestLock(t *testing.T) {
	l := NewLock()
	if l.Acquire(Stops{}) != Ready {
		t.Fatal("uncontended Acquire failed")
	}
	closed := make(chan struct{})
	close(closed)
	if r := l.Acquire(Stops{Deadline: closed}); r != Expired {
		t.Errorf("contended Acquire past a deadline = %v, want Expired", r)
	}
	if r := l.Acquire(Stops{Done: closed}); r != Closed {
		t.Errorf("contended Acquire when closed = %v, want Closed", r)
	}
	got := make(chan Result, 1)
	go func() { got <- l.Acquire(Stops{}) }()
	l.Release()
	select {
	case r := <-got:
		if r != Ready {
			t.Fatalf("Acquire after Release = %v", r)
		}
		l.Release()
	case <-time.After(testTimeout):
		t.Fatal("Release did not hand the lock over")
	}
}
