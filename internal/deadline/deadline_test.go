package deadline

import (
	"sync"
	"testing"
	"time"
)

// bound is how long a test waits for a channel that must close.
const bound = 10 * time.Second

func mustClose(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(bound):
		t.Fatalf("%s: channel not closed within %v", what, bound)
	}
}

func TestZeroValueHasNoDeadline(t *testing.T) {
	var d Deadline
	if d.Expired() {
		t.Fatal("zero Deadline is expired")
	}
	ch := d.Wait()
	if ch == nil {
		t.Fatal("Wait returned nil")
	}
	if closed(ch) {
		t.Fatal("zero Deadline's channel is closed")
	}
}

func TestPastExpiresAtOnce(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(-time.Second))
	if !d.Expired() {
		t.Fatal("a deadline in the past is not expired")
	}
	if !closed(d.Wait()) {
		t.Fatal("a deadline in the past left its channel open")
	}
}

func TestFutureFires(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(10 * time.Millisecond))
	mustClose(t, d.Wait(), "short deadline")
	if !d.Expired() {
		t.Fatal("Expired false after the channel closed")
	}
}

// TestBlockedCallSeesLaterSet: a call that took the channel before any
// deadline was set is woken by one set afterwards.
func TestBlockedCallSeesLaterSet(t *testing.T) {
	var d Deadline
	ch := d.Wait()
	d.Set(time.Now().Add(10 * time.Millisecond))
	mustClose(t, ch, "channel taken before Set")
}

// TestMoveIntoPastWakesWaiters: moving an armed deadline into the past
// closes the channel already handed out.
func TestMoveIntoPastWakesWaiters(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(time.Hour))
	ch := d.Wait()
	d.Set(time.Now().Add(-time.Second))
	if !closed(ch) {
		t.Fatal("moving the deadline into the past did not close the waiters' channel")
	}
}

// TestStaleTimerDoesNothing: the timer of a deadline that was moved must
// not close the channel.
func TestStaleTimerDoesNothing(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(time.Hour))
	d.Set(time.Now().Add(2 * time.Hour))
	d.fire() // as a run of the timer from before the second Set would
	if d.Expired() {
		t.Fatal("a stale timer expired the moved deadline")
	}
	d.Stop()
}

// TestEarlyFireRearms: a timer run before the deadline (a stale one)
// leaves the channel open and re-arms the timer,
// which then closes it once the deadline has passed.
func TestEarlyFireRearms(t *testing.T) {
	var d Deadline
	due := time.Now().Add(30 * time.Millisecond)
	d.Set(due)
	d.fire()
	if d.Expired() {
		t.Fatal("an early timer run expired the deadline")
	}
	select {
	case <-d.Wait():
	case <-time.After(bound):
		t.Fatal("the deadline never expired after an early timer run")
	}
	if time.Now().Before(due) {
		t.Fatal("the deadline expired before its time")
	}
}

// TestSetDoesNotAllocate: moving a deadline reuses its timer, so a Set per
// call (SetReadDeadline before each Read, as servers do) allocates
// nothing, as with *net.TCPConn (before: a timer and a closure per Set).
func TestSetDoesNotAllocate(t *testing.T) {
	var d Deadline
	defer d.Stop()
	d.Set(time.Now().Add(time.Hour))
	if n := testing.AllocsPerRun(100, func() { d.Set(time.Now().Add(time.Hour)) }); n != 0 {
		t.Fatalf("%v allocations per Set, want 0", n)
	}
}

func TestRemoveAfterExpiry(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(-time.Second))
	d.Set(time.Time{})
	if d.Expired() {
		t.Fatal("Expired after the deadline was removed")
	}
	if closed(d.Wait()) {
		t.Fatal("the channel is closed after the deadline was removed")
	}
}

func TestStopThenSet(t *testing.T) {
	var d Deadline
	d.Set(time.Now().Add(time.Hour))
	d.Stop()
	d.mu.Lock()
	armed := d.timer != nil && d.timer.Stop() // true only if it was still armed
	d.mu.Unlock()
	if armed {
		t.Fatal("Stop left the timer armed")
	}
	if d.Expired() {
		t.Fatal("Stop expired the deadline")
	}
	d.Set(time.Now().Add(-time.Second))
	if !d.Expired() {
		t.Fatal("Set after Stop did not take effect")
	}
}

// TestConcurrentUse runs Set, Wait and Expired from several goroutines
// (for the race detector) and checks the final state.
func TestConcurrentUse(t *testing.T) {
	var d Deadline
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				switch (i + j) % 3 {
				case 0:
					d.Set(time.Now().Add(time.Duration(j%5) * time.Millisecond))
				case 1:
					_ = d.Wait()
				default:
					_ = d.Expired()
				}
			}
		}()
	}
	wg.Wait()
	d.Set(time.Now().Add(-time.Second))
	if !d.Expired() {
		t.Fatal("a deadline in the past is not expired after concurrent use")
	}
}

// TestOnExpireRuns: the OnExpire function runs once each time the deadline
// passes, by its timer or by a Set in the past, after the channel closed;
// not for a deadline moved before it passed.
func TestOnExpireRuns(t *testing.T) {
	var d Deadline
	fired := make(chan bool, 4)
	d.OnExpire(func() { fired <- closed(d.Wait()) })
	d.Set(time.Now().Add(time.Hour))
	d.Set(time.Now().Add(time.Millisecond)) // the hour's timer is stale now
	expectFired(t, fired, "when the timer fired")
	d.Set(time.Now().Add(-time.Second))
	expectFired(t, fired, "for a deadline set in the past")
	d.Set(time.Time{})
	d.Stop()
	if n := len(fired); n != 0 {
		t.Fatalf("OnExpire ran %d more time(s)", n)
	}
}

// expectFired waits for one OnExpire call, which must have seen the
// channel closed.
func expectFired(t *testing.T, fired <-chan bool, when string) {
	t.Helper()
	select {
	case ok := <-fired:
		if !ok {
			t.Fatal("OnExpire ran before the channel closed")
		}
	case <-time.After(bound):
		t.Fatal("OnExpire did not run " + when)
	}
}
