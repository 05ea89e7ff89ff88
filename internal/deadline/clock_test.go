package deadline

import (
	"sync"
	"testing"
	"time"
)

// TestClockCallExpires: a call's channel closes once its timeout passes,
// not before, and the Clock's OnExpire runs.
func TestClockCallExpires(t *testing.T) {
	var k Clock
	kicked := make(chan struct{})
	var once sync.Once
	k.OnExpire(func() { once.Do(func() { close(kicked) }) })
	defer k.Stop()
	c := k.Call(20 * time.Millisecond)
	defer c.Done()
	start := time.Now()
	mustClose(t, c.Wait(), "call")
	if el := time.Since(start); el < 20*time.Millisecond || !c.Expired() {
		t.Fatalf("closed after %v (expired %v), want after its 20ms timeout", el, c.Expired())
	}
	mustClose(t, kicked, "OnExpire")
}

// TestClockSharedTimer: the timer fires for the earlier of two calls;
// the later one's channel closes with it, but that call has not expired,
// gets a fresh channel, and that one closes only at its own due time.
func TestClockSharedTimer(t *testing.T) {
	var k Clock
	defer k.Stop()
	short, long := k.Call(10*time.Millisecond), k.Call(150*time.Millisecond)
	chShort, chLong := short.Wait(), long.Wait()
	longDue := time.Now().Add(150 * time.Millisecond) // no earlier than long's own
	mustClose(t, chShort, "short call")
	short.Done()
	if !short.Expired() {
		t.Fatal("the short call's channel closed before it expired")
	}
	mustClose(t, chLong, "long call (woken with the short one)")
	for !long.Expired() {
		ch := long.Wait()
		if ch == chLong {
			t.Fatal("a call woken early got the closed channel back")
		}
		mustClose(t, ch, "long call, renewed")
		chLong = ch
	}
	if now := time.Now(); now.Before(longDue.Add(-time.Millisecond)) {
		t.Fatalf("the long call expired %v before its due time", longDue.Sub(now))
	}
	long.Done()
}

// TestClockNoTimerPerCall: calls with the same timeout, one after the
// other, share the timer armed by the first: no allocation per call (a
// timer and a channel per call before the Clock).
func TestClockNoTimerPerCall(t *testing.T) {
	var k Clock
	defer k.Stop()
	call := func() {
		c := k.Call(time.Hour)
		_ = c.Wait()
		c.Done()
	}
	call() // arms the timer, makes the channel
	if n := testing.AllocsPerRun(100, call); n != 0 {
		t.Fatalf("%v allocations per call, want 0", n)
	}
}

// TestClockNoTimeout: a call without a timeout never waits on a channel
// and never expires.
func TestClockNoTimeout(t *testing.T) {
	var k Clock
	c := k.Call(0)
	if c.Wait() != nil || c.Expired() {
		t.Fatal("a call without a timeout has a channel or expired")
	}
	c.Done()
	var zero Call
	if zero.Wait() != nil || zero.Expired() {
		t.Fatal("the zero Call has a channel or expired")
	}
	zero.Done()
}
