package usocket

import (
	"io"
	"testing"
	"time"
)

// TestReadTimeoutSharedTimer: the calls of a direction share one timer
// (deadline.Clock), armed by the first Read that blocked. When it fires
// for that Read, already done, a later Read still waiting must keep
// waiting until its own timeout has passed.
func TestReadTimeoutSharedTimer(t *testing.T) {
	d, a := connPair(t)
	const timeout = 300 * time.Millisecond
	if err := d.SetReadTimeout(timeout); err != nil {
		t.Fatal(err)
	}
	blocked := make(chan struct{}, 1)
	setHook(func(op string) {
		if op == "read" {
			select {
			case blocked <- struct{}{}:
			default:
			}
		}
	})
	t.Cleanup(func() { testHookAfterEAGAIN.Store(nil) })
	first := make(chan error, 1)
	go func() {
		_, err := d.Read(make([]byte, 1))
		first <- err
	}()
	waitFor(t, blocked, "the first Read to block")
	mustWrite(t, a, "x")
	select {
	case err := <-first:
		if err != nil {
			t.Fatalf("first Read: %v", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("the first Read did not return the byte written")
	}
	start := time.Now()
	_, err := d.Read(make([]byte, 1))
	checkTimeout(t, err)
	if el := time.Since(start); el < timeout {
		t.Fatalf("the second Read timed out after %v, before its own %v timeout", el, timeout)
	}
}

// TestTimeoutsNoAllocPerCall: per-call read and write timeouts cost no
// allocation per call (before the shared timer, each Write, and each Read
// that blocked, made a timer, a closure and a channel: 11 allocations per
// round trip in BenchmarkEchoPingPong).
func TestTimeoutsNoAllocPerCall(t *testing.T) {
	d, a := connPair(t)
	for _, c := range []*Conn{d, a} {
		_ = c.SetReadTimeout(testTimeout)
		_ = c.SetWriteTimeout(testTimeout)
	}
	echoed := make(chan error, 1)
	go func() { // echoes until d closes
		buf := make([]byte, 64)
		for {
			if _, err := io.ReadFull(a, buf); err != nil {
				echoed <- nil
				return
			}
			if _, err := a.Write(buf); err != nil {
				echoed <- err
				return
			}
		}
	}()
	msg := make([]byte, 64)
	roundTrip := func() {
		if _, err := d.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(d, msg); err != nil {
			t.Fatal(err)
		}
	}
	roundTrip()
	n := testing.AllocsPerRun(200, roundTrip)
	_ = d.Close()
	if err := <-echoed; err != nil {
		t.Fatalf("echo: %v", err)
	}
	// The wake-up tokens come from a sync.Pool, which the race detector
	// empties now and then: a few allocations, not one per call.
	if n > 1 {
		t.Fatalf("%.1f allocations per round trip with timeouts set, want at most 1", n)
	}
	t.Logf("%.2f allocations per round trip", n)
}
