//go:build linux && !usocket_portable && !usocket_netstd

package reactor

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// readTrier reads its descriptor, as the facade's Read does through
// PollTry; its stops are its edge count and done.
type readTrier struct {
	fd    int
	seq   *atomic.Uint64
	done  chan struct{}
	tries atomic.Int32
	got   int
}

func (r *readTrier) Try() bool {
	r.tries.Add(1)
	var b [16]byte
	n, err := unix.Read(r.fd, b[:])
	if err == unix.EAGAIN {
		return false
	}
	r.got = n
	return true
}

func (r *readTrier) Stops() (*atomic.Uint64, uint64, <-chan struct{}, <-chan struct{}, <-chan struct{}) {
	return r.seq, r.seq.Load(), r.done, nil, nil
}

// edgeWatcher registers a fresh socket pair's end on r's loop as a
// lendable WaitersOnly edge watcher, whose edges count in the trier's seq.
func edgeWatcher(t *testing.T, r *Reactor) (*Watcher, *readTrier, func(b []byte)) {
	t.Helper()
	return watchPair(t, r, nil)
}

// watchPair is edgeWatcher; it returns once the registration's first
// edge was reported and the loop lent (settle). With a non-nil writable, writable edges count
// there instead (as they do not end the facade's Read).
func watchPair(t *testing.T, r *Reactor, writable *atomic.Uint64) (*Watcher, *readTrier, func(b []byte)) {
	t.Helper()
	fd, peer := socketPair(t)
	tr := &readTrier{fd: fd, seq: new(atomic.Uint64), done: make(chan struct{})}
	edge := func(*Watcher) { tr.seq.Add(1) }
	h := &fdFuncs{readable: edge, writable: edge}
	if writable != nil {
		h.writable = func(*Watcher) { writable.Add(1) }
	}
	w, err := r.WatchEdge(fd, h, Lendable(WaitersOnly()))
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() {
		_ = w.Release()
		_ = unix.Close(fd)
	})
	registered := tr.seq
	if writable != nil {
		registered = writable
	}
	settle(t, w, "the registration's first edge", func() bool { return registered.Load() > 0 })
	return w, tr, func(b []byte) {
		if _, err := peer.Write(b); err != nil {
			t.Fatal(err)
		}
	}
}

// tryLoop makes a one-loop reactor whose stall watchdog does not run
// while a test does, so that it cannot rescue a lost wake-up, and whose
// poller counts its borrowers' parks (pollTry).
func tryLoop(t *testing.T) *Reactor {
	t.Helper()
	r, _ := newTestReactor(t, WithLoops(1), WithIdleWait(IdleWaitAuto), withStallInterval(time.Hour))
	r.loops[0].poller.testOwnParks = new(atomic.Uint64)
	return r
}

// pollTry runs PollTry on a new goroutine and returns its result channel
// once the call is parked on its own system call (having looked at the
// loop's events first or not: something queued on the loop just before
// makes it look).
func pollTry(t *testing.T, w *Watcher, tr Trier) <-chan bool {
	t.Helper()
	p := w.loop.poller
	return startTry(t, w, tr, func() func() bool {
		parks := p.testOwnParks.Load()
		return func() bool { return p.testOwnParks.Load() > parks }
	})
}

// startTry runs PollTry on a new goroutine once w's loop is lent and
// returns its result channel once the condition that arm returns holds
// (arm runs first, with the loop lent). A PollTry that declines is
// started again (goWait).
func startTry(t *testing.T, w *Watcher, tr Trier, arm func() func() bool) <-chan bool {
	t.Helper()
	for {
		res, declined := goWait(t, w, "PollTry to wait", func() bool { return w.PollTry(tr) }, arm)
		if !declined {
			return res
		}
	}
}

// mustTry runs PollTry, again while it declines (the loop goroutine took
// its loop back for a while), and returns once it ran; tr's call must be
// possible.
func mustTry(t *testing.T, w *Watcher, tr Trier) {
	t.Helper()
	spinUntil(t, "PollTry to borrow the loop", func() bool { return w.PollTry(tr) })
}

// TestPollTryNoLook: a caller that brings its own read parks on the lent
// loop and, woken by its data, returns with it without looking at the
// loop's events: its own event is still in the epoll set afterwards.
func TestPollTryNoLook(t *testing.T) {
	r := tryLoop(t)
	w, tr, write := edgeWatcher(t, r)
	res := pollTry(t, w, tr)
	write([]byte("hi"))
	if !recv(t, res, "PollTry to return after the data came") {
		t.Fatal("PollTry declined a lent loop")
	}
	if tr.got != 2 {
		t.Fatalf("Try read %d bytes, want 2", tr.got)
	}
	if n := w.loop.poller.borrows.Load(); n != 1 {
		t.Fatalf("borrows = %d, want 1 (the wait)", n)
	}
	waitRole(t, w, roleFree, "the loop lent again") // nobody else polls epfd now
	evs := make([]unix.EpollEvent, 8)
	n, err := unix.EpollWait(w.loop.poller.epfd, evs, 0)
	if err != nil || n != 1 || int(evs[0].Fd) != w.fd {
		t.Fatalf("epoll_wait after PollTry = %d events (%v), want the caller's own, unlooked at", n, err)
	}
}

// TestPollTryDeclines: PollTry neither tries nor counts the caller while
// the loop is borrowed.
func TestPollTryDeclines(t *testing.T) {
	r := tryLoop(t)
	w, tr, write := edgeWatcher(t, r)
	res := pollTry(t, w, tr)
	tries := tr.tries.Load()
	other := &readTrier{fd: tr.fd, seq: tr.seq}
	if w.PollTry(other) {
		t.Fatal("PollTry borrowed a loop already borrowed")
	}
	if other.tries.Load() != 0 || w.loop.poller.waiters.Load() != 0 {
		t.Fatalf("declined PollTry: %d tries, %d waiters; want none", other.tries.Load(), w.loop.poller.waiters.Load())
	}
	write([]byte{1})
	recv(t, res, "PollTry to return after the data came")
	// One more call at the wake-up, at least (a wake-up of the Go poller
	// that no edge explains happens now and then, and costs one more).
	if tr.tries.Load() < tries+1 || tr.got != 1 {
		t.Fatalf("tries %d → %d, read %d bytes: want the borrower to have read the byte sent", tries, tr.tries.Load(), tr.got)
	}
}

// TestPollTryStops: closing done, or an edge counted from outside the
// loop, ends the wait once w is kicked.
func TestPollTryStops(t *testing.T) {
	for _, how := range []string{"done", "seq"} {
		t.Run(how, func(t *testing.T) {
			r := tryLoop(t)
			w, tr, _ := edgeWatcher(t, r)
			res := pollTry(t, w, tr)
			if how == "done" {
				close(tr.done)
			} else {
				tr.seq.Add(1)
			}
			w.Kick()
			if !recv(t, res, "PollTry to return after "+how+" and Kick") {
				t.Fatal("PollTry declined a lent loop")
			}
			if tr.got != 0 {
				t.Fatal("Try read data; the test sent none")
			}
		})
	}
}

// TestPollTryWakesForWaiter: a caller that counts itself as waiting on the
// loop while a borrower is parked on its own call alone wakes that
// borrower, which reports the caller's edge. The edge's readiness reached
// the Go poller before the borrower prepared its park, so the borrower's
// park did not cover it; without the wake-up the caller would wait until
// the borrower's own data came (the stall watchdog is off here).
func TestPollTryWakesForWaiter(t *testing.T) {
	r := tryLoop(t)
	wa, ta, writeA := edgeWatcher(t, r)
	wb, tb, writeB := edgeWatcher(t, r)
	// Registering is a task on the loop: wait until both are registered
	// (their first writable edges came), so that the loop lends itself
	// for good, not just between the two.
	settle(t, wa, "both registrations", func() bool { return ta.seq.Load() > 0 && tb.seq.Load() > 0 })
	oldB := tb.seq.Load()
	consumeReadiness(t, wa.loop.poller, func() { writeB([]byte{1}) })
	res := pollTry(t, wa, ta)
	if wb.PollUntil(tb.seq, oldB, nil, nil, nil) {
		t.Fatal("PollUntil borrowed a loop already borrowed")
	}
	defer wb.WaitEnded()
	spinUntil(t, "the waiting caller's edge to be reported", func() bool { return tb.seq.Load() != oldB })
	writeA([]byte{1})
	recv(t, res, "PollTry to return after its data came")
}

// consumeReadiness parks on p's epoll descriptor in the Go poller, makes
// an edge with edge, and returns once the Go poller reported it, without
// taking the events behind it: the state a borrower's park starts from
// when an edge came just before it (the Go poller reports it as it comes,
// parked on or not, and preparing a park forgets it).
func consumeReadiness(t *testing.T, p *poller, edge func()) {
	t.Helper()
	if err := p.file.SetReadDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.file.SetReadDeadline(time.Time{}) }()
	parked := false
	err := p.raw.Read(func(uintptr) bool {
		if !parked {
			parked = true
			edge()
			return false
		}
		return true
	})
	if err != nil {
		t.Fatalf("waiting for the epoll descriptor's readiness: %v", err)
	}
}

// TestPollTryWatchdogNoFalseRescue: the stall watchdog ending the park of
// a caller waiting on its own call counts a rescue only if that call was
// possible. The caller's socket is writable, and its earlier wake-up,
// explained by its own read, left its event in the epoll set: a look
// finds it, but nothing was missed.
func TestPollTryWatchdogNoFalseRescue(t *testing.T) {
	r := tryLoop(t)
	w, tr, write := edgeWatcher(t, r)
	p := w.loop.poller
	res := pollTry(t, w, tr)
	write([]byte{1})
	recv(t, res, "PollTry to return after the data came")
	waitRole(t, w, roleFree, "the loop lent again")
	res = pollTry(t, w, tr)
	wait, parks := p.waits.Load(), p.testOwnParks.Load()
	p.kick(wait) // as the watchdog ends a park it saw twice
	// The caller looks, then parks again, or returns: the look reported
	// its writable edge, which counts in its seq.
	var ended bool
	spinUntil(t, "the caller to park again or return after the kick", func() bool {
		select {
		case <-res:
			ended = true
			return true
		default:
			return p.waits.Load() > wait && p.testOwnParks.Load() > parks
		}
	})
	if n := p.rescued.Load(); n != 0 {
		t.Fatalf("rescues = %d, want 0: the caller's read was not possible", n)
	}
	if ended {
		res = pollTry(t, w, tr)
	}
	write([]byte{2})
	recv(t, res, "PollTry to return after the data came")
	if tr.got != 1 {
		t.Fatalf("Try read %d bytes, want 1", tr.got)
	}
}

// TestPollTryLookRunsRound: on a loop whose events another watcher needs
// (here one that is not WaitersOnly), a caller looks before it parks; the
// events it finds (the other watcher's, made before the wait) are run in
// place and the park goes on, so its call is made once before the park
// and once after the wake-up, not once more for the look. Its data comes
// once its first call failed: should the look report that data already,
// the wait ends on its edge and a second wait reads it, two calls too.
// Five waits; their median counts.
func TestPollTryLookRunsRound(t *testing.T) {
	saved := lendBackstop
	t.Cleanup(func() { lendBackstop = saved }) // after the reactor's Close
	lendBackstop = time.Hour                   // the loop stays lent while the test runs
	r := tryLoop(t)
	wseq := new(atomic.Uint64)
	w, tr, write := watchPair(t, r, wseq)
	lfd, lpeer := socketPair(t)
	lseq := new(atomic.Uint64)
	lw, err := r.WatchEdge(lfd, &fdFuncs{writable: func(*Watcher) { lseq.Add(1) }}, Lendable())
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() { _ = lw.Release(); _ = unix.Close(lfd) })
	settle(t, w, "both registrations", func() bool { return wseq.Load() > 0 && lseq.Load() > 0 })
	p := w.loop.poller
	calls := make([]int, 5)
	for i := range calls {
		var tries int32
		res := startTry(t, w, tr, func() func() bool {
			// The other watcher's edge reaches the Go poller now, not
			// during the wait, where it would be one more wake-up.
			consumeReadiness(t, p, func() {
				if _, err := lpeer.Write([]byte{1}); err != nil {
					t.Error(err)
				}
			})
			borrows := p.borrows.Load()
			tries, tr.got = tr.tries.Load(), -1
			return func() bool { return p.borrows.Load() > borrows } // its first call failed
		})
		write([]byte{byte(i)})
		if !recv(t, res, "PollTry to return") {
			t.Fatalf("wait %d: PollTry declined", i)
		}
		if tr.got < 0 {
			mustTry(t, w, tr)
		}
		calls[i] = int(tr.tries.Load() - tries)
	}
	// A wake-up of the Go poller that no edge explains (it happens, now
	// and then) costs a call: the median leaves one out.
	slices.Sort(calls)
	if calls[len(calls)/2] != 2 {
		t.Fatalf("calls per wait %v, want a median of 2 (before the park, after the wake-up)", calls)
	}
}

// doneTrier's call is always done at once, as a Read finds data waiting
// while a stream flows.
type doneTrier struct{}

func (doneTrier) Try() bool { return true }
func (doneTrier) Stops() (*atomic.Uint64, uint64, <-chan struct{}, <-chan struct{}, <-chan struct{}) {
	return new(atomic.Uint64), 0, nil, nil, nil
}

// TestPollTryBusyCallerNoStarve: a caller whose calls are done at once
// borrows and gives back the loop without looking at its events, and so
// does not count as watching it: once nobody looked for a backstop's
// time (made to look an hour old here, the loop goroutine's own backstop
// being an hour too), the next such caller looks first, and the edge of a
// watcher that needs the backstop (a listener's) is reported by it. Before,
// every give-back restarted the backstop, and a stream of such calls kept
// the loop goroutine from taking its loop back to look.
func TestPollTryBusyCallerNoStarve(t *testing.T) {
	saved := lendBackstop
	t.Cleanup(func() { lendBackstop = saved }) // after the reactor's Close
	lendBackstop = time.Hour
	r := tryLoop(t)
	w, tr, _ := edgeWatcher(t, r)
	lfd, lpeer := socketPair(t)
	lseq, lreg := new(atomic.Uint64), new(atomic.Uint64)
	lw, err := r.WatchEdge(lfd, &fdFuncs{readable: func(*Watcher) { lseq.Add(1) }, writable: func(*Watcher) { lreg.Add(1) }}, Lendable())
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() { _ = lw.Release(); _ = unix.Close(lfd) })
	settle(t, w, "both registrations", func() bool { return tr.seq.Load() > 0 && lreg.Load() > 0 })
	if _, err := lpeer.Write([]byte{1}); err != nil {
		t.Fatal(err)
	}
	p := w.loop.poller
	for range 3 {
		mustTry(t, w, doneTrier{})
	}
	if lseq.Load() != 0 {
		t.Fatal("the listener's edge was reported before a backstop's time without a look")
	}
	p.lentAt.Store(monotonic() - int64(time.Hour)) // the last look, an hour ago
	mustTry(t, w, doneTrier{})
	if lseq.Load() != 1 {
		t.Fatalf("listener edges reported = %d after a caller found the loop unlooked-at for a backstop's time, want 1", lseq.Load())
	}
}

// TestLendStaleKick: a kick whose cause a borrower saw to before the loop
// goroutine took its loop back (here a task the borrower ran) has the loop
// goroutine lend its loop again at once. Before, it parked holding the
// loop until an event came, and every caller meanwhile was handed its
// wake-up through the loop goroutine.
func TestLendStaleKick(t *testing.T) {
	r := tryLoop(t)
	w, _, _ := edgeWatcher(t, r) // the loop lent, its registration seen to
	p := w.loop.poller
	spinUntil(t, "borrowing the loop", func() bool { return p.role.CompareAndSwap(roleFree, roleBorrowed) })
	ran := false
	if err := p.trigger(func(any) error { ran = true; return nil }, nil); err != nil {
		t.Fatal(err)
	}
	for !ran { // the borrower runs the task, as a caller's look would
		if p.lookAndRun(); p.stopped {
			t.Fatal("the loop stopped")
		}
	}
	p.lend()
	reclaims := p.reclaims.Load()
	p.kickLoop() // as sent by whoever queued the task, seeing the loop lent
	spinUntil(t, "the loop goroutine to take its loop back", func() bool { return p.reclaims.Load() > reclaims })
	waitRole(t, w, roleFree, "the loop lent again after a kick with nothing left to do")
	if !w.PollTry(doneTrier{}) {
		t.Fatal("PollTry declined the loop lent again")
	}
}
