//go:build unix

package usocket

import (
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
