//go:build linux && !usocket_portable && !usocket_netstd

package reactor

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/wake"
)

// lentLoop makes a one-loop reactor with a lendable edge watcher whose
// edges count in seq, and returns once the loop has lent itself and the
// registration's writable edge was reported (settle). The backstop is made long
// so that the loop does not take itself back while the test runs.
func lentLoop(t *testing.T) (*Reactor, *Watcher, *atomic.Uint64, func(b []byte)) {
	t.Helper()
	r, w, seq, write := lendingLoop(t, time.Hour)
	settle(t, w, "the loop lending itself", func() bool { return seq.Load() > 0 })
	return r, w, seq, write
}

// lendingLoop is lentLoop with the given backstop, returning at once.
func lendingLoop(t *testing.T, backstop time.Duration) (*Reactor, *Watcher, *atomic.Uint64, func(b []byte)) {
	t.Helper()
	return lendingLoopWith(t, backstop)
}

// lendingLoopWith is lendingLoop with options for Lendable.
func lendingLoopWith(t *testing.T, backstop time.Duration, opts ...LendOption) (*Reactor, *Watcher, *atomic.Uint64, func(b []byte)) {
	t.Helper()
	saved := lendBackstop
	t.Cleanup(func() { lendBackstop = saved }) // after the reactor's Close
	lendBackstop = backstop
	r, _ := newTestReactor(t, WithLoops(1), WithIdleWait(IdleWaitAuto))
	fd, peer := socketPair(t)
	seq := new(atomic.Uint64)
	edge := func(*Watcher) { seq.Add(1) }
	w, err := r.WatchEdge(fd, &fdFuncs{readable: edge, writable: edge}, Lendable(opts...))
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() {
		_ = w.Release()
		_ = unix.Close(fd)
	})
	return r, w, seq, func(b []byte) {
		if _, err := peer.Write(b); err != nil {
			t.Fatal(err)
		}
	}
}

// waitRole waits until w's loop is in role.
func waitRole(t *testing.T, w *Watcher, role int32, what string) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for w.loop.poller.role.Load() != role {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		runtime.Gosched()
	}
}

// borrow runs PollUntil on a new goroutine and returns its result channel
// once the loop is borrowed. A PollUntil that declines, the loop goroutine
// having taken its loop back in between, is ended and started again.
func borrow(t *testing.T, w *Watcher, seq *atomic.Uint64, done <-chan struct{}) <-chan bool {
	t.Helper()
	for {
		var old uint64
		res, declined := goWait(t, w, "the caller borrowing the loop",
			func() bool { return w.PollUntil(seq, old, done, nil, nil) },
			func() func() bool {
				old = seq.Load()
				return func() bool { return w.loop.poller.role.Load() == roleBorrowed }
			})
		if !declined {
			return res
		}
		w.WaitEnded()
	}
}

// goWait runs call (a PollUntil or PollTry on w) on a new goroutine once
// w's loop is settled and lent and arm ran, and returns its result channel
// once the condition arm returned holds; or declined, if call reported
// false first (the loop goroutine took its loop back in between: the
// caller starts again). A call that returns true before that fails the
// test.
func goWait(t *testing.T, w *Watcher, what string, call func() bool, arm func() func() bool) (res <-chan bool, declined bool) {
	t.Helper()
	settle(t, w, "the loop lent", func() bool { return true })
	ready := arm()
	ch := make(chan bool, 1)
	go func() { ch <- call() }()
	spinUntil(t, what, func() bool {
		select {
		case ok := <-ch:
			if ok {
				t.Fatalf("%s: the call returned before the test made it possible", what)
			}
			declined = true
			return true
		default:
			return ready()
		}
	})
	return ch, declined
}

// spinUntil yields until cond holds, within testTimeout.
func spinUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		runtime.Gosched()
	}
}

// settle brings w's loop to a known state: lent, with cond holding.
// Registering a watcher is a task on the loop, and a loop that lends
// itself after the round that ran it leaves the new registration's first
// edges unreported until somebody looks (a caller, or the backstop, which
// some tests set to an hour); a loop goroutine that took its loop back
// after a round of tasks only parks holding it until an event comes. So
// settle borrows the lent loop and looks, as a caller would, and has a
// loop goroutine that holds its loop lend it again after a round.
func settle(t *testing.T, w *Watcher, what string, cond func() bool) {
	t.Helper()
	p := w.loop.poller
	var nudging atomic.Bool
	nudge := func(any) error {
		p.park = true // lend after this round (the task runs on the role holder)
		nudging.Store(false)
		return nil
	}
	spinUntil(t, what, func() bool {
		if cond() && p.role.Load() == roleFree && !nudging.Load() {
			return true // settled: no look (it would report events a test set up)
		}
		switch {
		case p.role.CompareAndSwap(roleFree, roleBorrowed):
			p.lookAndRun()
			p.lend()
		case p.role.Load() == roleLoop && nudging.CompareAndSwap(false, true):
			if err := p.trigger(nudge, nil); err != nil {
				t.Fatal(err)
			}
		}
		return false
	})
}

// TestLendBorrowerGetsItsEdge: a caller borrowing the lent loop is woken
// by its own edge (the runtime poller wakes it, not the loop goroutine)
// and gives the loop back.
func TestLendBorrowerGetsItsEdge(t *testing.T) {
	_, w, seq, write := lentLoop(t)
	res := borrow(t, w, seq, nil)
	write([]byte{1})
	if !recv(t, res, "PollUntil to return after the edge") {
		t.Fatal("PollUntil declined a lent loop")
	}
	if r := w.loop.poller.role.Load(); r == roleBorrowed {
		t.Fatalf("role after the borrow = %d, want given back", r)
	}
}

// TestLendBorrowerRunsTasks: while a caller runs the loop, work queued for
// the loop (Execute) runs without waiting for the caller's own edge.
func TestLendBorrowerRunsTasks(t *testing.T) {
	_, w, seq, write := lentLoop(t)
	res := borrow(t, w, seq, nil)
	ran := make(chan struct{})
	if err := w.Execute(func() { close(ran) }); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	recv(t, ran, "a task queued while the loop is borrowed")
	write([]byte{1})
	recv(t, res, "PollUntil to return after the edge")
}

// TestLendKick: closing the caller's done channel and kicking ends a borrow
// with no edge.
func TestLendKick(t *testing.T) {
	_, w, seq, _ := lentLoop(t)
	done := make(chan struct{})
	res := borrow(t, w, seq, done)
	close(done)
	w.Kick()
	recv(t, res, "PollUntil to return after done and Kick")
}

// TestLendDeadline: a borrow ends when the caller's deadline or timeout
// channel closes and w is kicked (the facade's deadline.OnExpire and call
// timer kick).
func TestLendDeadline(t *testing.T) {
	for _, which := range []string{"deadline", "timeout"} {
		t.Run(which, func(t *testing.T) {
			_, w, seq, _ := lentLoop(t)
			stop := make(chan struct{})
			deadline, timeout := stop, (chan struct{})(nil)
			if which == "timeout" {
				deadline, timeout = nil, stop
			}
			res := make(chan bool, 1)
			old := seq.Load()
			go func() { res <- w.PollUntil(seq, old, nil, deadline, timeout) }()
			waitRole(t, w, roleBorrowed, "the caller borrowing the loop")
			close(stop)
			w.Kick()
			if !recv(t, res, "PollUntil to return after the "+which+" and Kick") {
				t.Fatal("PollUntil declined a lent loop")
			}
			if seq.Load() != old {
				t.Fatal("an edge came; the test wanted the " + which + " to end the borrow")
			}
		})
	}
}

// TestLendDeclined: a second caller is declined while the loop is
// borrowed and counted as waiting, and the loop goroutine takes the loop
// back at once when the borrower gives it back with a caller waiting.
func TestLendDeclined(t *testing.T) {
	_, w, seq, write := lentLoop(t)
	res := borrow(t, w, seq, nil)
	if w.PollUntil(seq, seq.Load(), nil, nil, nil) {
		t.Fatal("PollUntil borrowed a loop that was already borrowed")
	}
	if n := w.loop.poller.waiters.Load(); n != 1 {
		t.Fatalf("waiters = %d, want 1", n)
	}
	write([]byte{1})
	recv(t, res, "PollUntil to return after the edge")
	waitRole(t, w, roleLoop, "the loop goroutine taking its loop back for the waiter")
	w.WaitEnded()
	if n := w.loop.poller.waiters.Load(); n != 0 {
		t.Fatalf("waiters after WaitEnded = %d, want 0", n)
	}
}

// TestLendStop: closing the reactor while a caller runs its loop ends the
// borrow, and the loop stops.
func TestLendStop(t *testing.T) {
	r, w, seq, _ := lentLoop(t)
	res := borrow(t, w, seq, nil)
	within(t, "Close", func() { _ = r.Close() })
	recv(t, res, "PollUntil to return when the reactor stops")
}

// TestLendOnlyLendable: a loop that serves anything but lendable edge
// watchers (here a plain Watch) is never lent.
func TestLendOnlyLendable(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1), WithIdleWait(IdleWaitAuto))
	fd, peer := socketPair(t)
	edges := make(chan struct{}, 16)
	edge := func(*Watcher) { edges <- struct{}{} }
	w, err := r.WatchEdge(fd, &fdFuncs{readable: edge, writable: edge}, Lendable())
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	defer func() { _ = w.Release(); _ = unix.Close(fd) }()
	pfd, _ := socketPair(t)
	if _, err := r.Watch(pfd, &fdFuncs{}); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	for i := range 3 {
		if _, err := peer.Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		recv(t, edges, "an edge")
		synced := make(chan struct{})
		if err := w.Execute(func() { close(synced) }); err != nil {
			t.Fatal(err)
		}
		recv(t, synced, "a task after the edge")
		if role := w.loop.poller.role.Load(); role != roleLoop {
			t.Fatalf("role = %d with a plain watcher on the loop, want roleLoop", role)
		}
	}
}

// TestLendTimedWaiterTakesLoopBack: a caller whose wait can be cancelled
// (or has a timeout) does not borrow the loop; it parks by its own means
// and counts as waiting, so a lent loop is taken back at once and reports
// its edge. It used not to count: with nobody borrowing, its edge waited
// for the backstop (here an hour).
func TestLendTimedWaiterTakesLoopBack(t *testing.T) {
	r, _, _, _ := lentLoop(t)
	fd, peer := socketPair(t)
	var e wake.Edge
	w, err := r.WatchEdge(fd, &fdFuncs{readable: func(*Watcher) { e.Notify() }}, Lendable())
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	defer func() { _ = w.Release(); _ = unix.Close(fd) }()
	waitRole(t, w, roleFree, "the loop lending itself again")
	res := make(chan wake.Result, 1)
	cancel := make(chan struct{}) // never cancelled
	old := e.Seq()                // before the write, as the facade reads it before its read
	go func() { res <- e.Wait(old, wake.Stops{Cancel: cancel, Lender: w}) }()
	if _, err := peer.Write([]byte{1}); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, res, "the timed wait to see its edge"); got != wake.Ready {
		t.Fatalf("Wait = %v, want Ready", got)
	}
	if n := w.loop.poller.waiters.Load(); n != 0 {
		t.Fatalf("waiters after the wait = %d, want 0", n)
	}
}

// TestLendBackstopTakesLoopBack: a loop lent again and again, then left
// unborrowed, is taken back by its goroutine once the backstop runs out,
// though the backstop's timer is armed only at the first of those lends
// (it re-arms for the rest when it fires early).
func TestLendBackstopTakesLoopBack(t *testing.T) {
	_, w, seq, write := lendingLoop(t, 50*time.Millisecond)
	for i := range 20 {
		waitRole(t, w, roleFree, "the loop lending itself")
		old := seq.Load()
		res := make(chan bool, 1)
		go func() { res <- w.PollUntil(seq, old, nil, nil, nil) }()
		write([]byte{byte(i)})
		if !recv(t, res, "PollUntil to return after the edge") && seq.Load() == old {
			// Declined (the loop goroutine held it): counted as waiting.
			w.WaitEnded()
		}
	}
	waitRole(t, w, roleLoop, "the loop goroutine taking its loop back after the backstop")
	if p := w.loop.poller; p.armed.Load() {
		t.Fatal("backstop still armed after the loop was taken back")
	}
}

// TestLendWaitersOnlyNoBackstop: a loop whose lendable watchers are all
// WaitersOnly (the facade's connections) lends itself without arming the
// backstop, whose timer would wake the loop goroutine every 200 µs while
// callers keep borrowing it; with one that is not (a listener), the lend
// arms it. The lend checked is a borrower's giving the loop back, which
// runs on the test's goroutine.
func TestLendWaitersOnlyNoBackstop(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []LendOption
		want bool
	}{
		{"WaitersOnly", []LendOption{WaitersOnly()}, false},
		{"plain", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, w, seq, _ := lendingLoopWith(t, time.Hour, tt.opts...)
			waitRole(t, w, roleFree, "the loop lending itself")
			done := make(chan struct{})
			close(done) // PollUntil borrows, sees done and gives the loop back
			if !w.PollUntil(seq, seq.Load(), done, nil, nil) {
				t.Fatal("PollUntil declined a lent loop")
			}
			if got := w.loop.poller.armed.Load(); got != tt.want {
				t.Fatalf("backstop armed after the lend = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLendObservedNotLent: while something besides blocked calls follows
// a lendable watcher's edges (SetObserved, a wait list), its loop is taken
// back and not lent, so those edges come at once; unobserved, it lends
// again.
func TestLendObservedNotLent(t *testing.T) {
	_, w, seq, write := lentLoop(t)
	w.SetObserved(true)
	waitRole(t, w, roleLoop, "the loop goroutine taking its loop back")
	for i := range 3 {
		old := seq.Load()
		write([]byte{byte(i)})
		deadline := time.Now().Add(testTimeout)
		for seq.Load() == old { // reported by the loop goroutine, not after an hour's backstop
			if time.Now().After(deadline) {
				t.Fatalf("edge %d not reported while observed", i)
			}
			runtime.Gosched()
		}
		if r := w.loop.poller.role.Load(); r != roleLoop {
			t.Fatalf("role = %d while observed, want roleLoop", r)
		}
	}
	w.SetObserved(false)
	write([]byte{9}) // an event, so that the loop goes round and lends again
	waitRole(t, w, roleFree, "the loop lending itself again once unobserved")
}
