package fdref

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLastUserCloses(t *testing.T) {
	var r Ref
	for range 2 {
		if !r.Acquire() {
			t.Fatal("Acquire failed on an open descriptor")
		}
	}
	if r.MarkClosing() {
		t.Fatal("MarkClosing said close now while two references are held")
	}
	if r.Acquire() {
		t.Fatal("Acquire succeeded after closing began")
	}
	if r.Release() {
		t.Fatal("the first of two releases said close")
	}
	if !r.Release() {
		t.Fatal("the last release after closing did not say close")
	}
	if r.MarkClosing() {
		t.Fatal("a second MarkClosing said close again")
	}
}

// TestCloseWhenUnused: with every reference released (or none ever taken),
// MarkClosing says close at once and refuses later references.
func TestCloseWhenUnused(t *testing.T) {
	for _, uses := range []int{0, 1, 3} {
		var r Ref
		for range uses {
			if !r.Acquire() {
				t.Fatal("Acquire failed on an open descriptor")
			}
			if r.Release() {
				t.Fatal("Release said close before closing began")
			}
		}
		if !r.MarkClosing() {
			t.Fatalf("after %d released uses, MarkClosing did not say close at once", uses)
		}
		if r.Acquire() {
			t.Fatal("Acquire succeeded after closing")
		}
	}
}

// TestConcurrentUsersCloseOnce races users against MarkClosing: exactly one
// party must be told to close.
func TestConcurrentUsersCloseOnce(t *testing.T) {
	for range 50 {
		var r Ref
		var closes atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 100 {
					if !r.Acquire() {
						return
					}
					if r.Release() {
						closes.Add(1)
					}
				}
			}()
		}
		if r.MarkClosing() {
			closes.Add(1)
		}
		wg.Wait()
		if n := closes.Load(); n != 1 {
			t.Fatalf("told to close %d times, want 1", n)
		}
	}
}

func ExampleRef() {
	var r Ref
	if r.Acquire() { // a user's system call runs here
		_ = r.Release()
	}
	fmt.Println("close now:", r.MarkClosing())
	// Output: close now: true
}
