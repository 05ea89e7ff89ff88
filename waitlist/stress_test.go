package waitlist

import (
	"sync"
	"testing"
)

// Producers notify from many goroutines while one consumer waits and drains.
// A lost wake-up would leave the consumer blocked until the test deadline;
// a false report would show as a source with nothing to take.
func TestWaitNoLostWakeups(t *testing.T) {
	ctx := testCtx(t)
	const nsrc, producers, perProducer = 64, 4, 2000
	fs := newFakes(nsrc)
	l := mustNew(t, sources(fs)...)

	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range perProducer {
				fs[(p*7919+i*31)%nsrc].put()
			}
		})
	}
	total := 0
	for total < producers*perProducer {
		ready, err := l.Wait(ctx, Forever)
		if err != nil {
			t.Fatalf("Wait after %d of %d items: %v", total, producers*perProducer, err)
		}
		for _, s := range ready {
			n := s.(*fake).take()
			if n == 0 {
				t.Fatalf("%s reported ready with nothing buffered", s.(*fake).name)
			}
			total += n
		}
	}
	wg.Wait()
	if total != producers*perProducer {
		t.Fatalf("consumed %d, want %d", total, producers*perProducer)
	}
}

// Add, Remove and RemoveAll race with waits and notifications; the race
// detector, the result checks and the bounded waits are the checks.
func TestWaitChurn(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(32)
	l := mustNew(t)
	done := make(chan struct{})
	var churn sync.WaitGroup
	churn.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			f := fs[i%len(fs)]
			if _, err := l.Add(f); err != nil {
				t.Error(err)
				return
			}
			f.put()
			if i%3 == 0 {
				l.Remove(fs[(i+5)%len(fs)])
			}
			if i%97 == 0 {
				l.RemoveAll()
			}
		}
	})
	var waiters sync.WaitGroup
	for range 2 {
		waiters.Go(func() {
			for range 500 {
				ready, err := l.Wait(ctx, Forever)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ready) == 0 {
					t.Error("empty result with nil error")
					return
				}
				for _, s := range ready {
					s.(*fake).take()
				}
			}
		})
	}
	waiters.Wait()
	close(done)
	churn.Wait()
}
