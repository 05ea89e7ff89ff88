//go:build linux && !usocket_portable && !usocket_netstd

package reactor

import (
	"runtime"
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
	fd, peer := socketPair(t)
	tr := &readTrier{fd: fd, seq: new(atomic.Uint64), done: make(chan struct{})}
	edge := func(*Watcher) { tr.seq.Add(1) }
	w, err := r.WatchEdge(fd, &fdFuncs{readable: edge, writable: edge}, Lendable(WaitersOnly()))
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() {
		_ = w.Release()
		_ = unix.Close(fd)
	})
	return w, tr, func(b []byte) {
		if _, err := peer.Write(b); err != nil {
			t.Fatal(err)
		}
	}
}

// tryLoop makes a one-loop reactor whose stall watchdog does not run
// while a test does, so that it cannot rescue a lost wake-up.
func tryLoop(t *testing.T) *Reactor {
	t.Helper()
	r, _ := newTestReactor(t, WithLoops(1), WithIdleWait(IdleWaitAuto), withStallInterval(time.Hour))
	return r
}

// pollTry runs PollTry on a new goroutine and returns its result channel
// once the call is parked on its own system call alone.
func pollTry(t *testing.T, w *Watcher, tr *readTrier) <-chan bool {
	t.Helper()
	res := make(chan bool, 1)
	go func() { res <- w.PollTry(tr) }()
	p := w.loop.poller
	deadline := time.Now().Add(testTimeout)
	for !p.own.announced.Load() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for PollTry to park on its own call")
		}
		runtime.Gosched()
	}
	return res
}

// TestPollTryNoLook: a caller that brings its own read parks on the lent
// loop and, woken by its data, returns with it without looking at the
// loop's events: its own event is still in the epoll set afterwards.
func TestPollTryNoLook(t *testing.T) {
	r := tryLoop(t)
	w, tr, write := edgeWatcher(t, r)
	waitRole(t, w, roleFree, "the loop lending itself")
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
	waitRole(t, w, roleFree, "the loop lending itself")
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
	if tr.tries.Load() != tries+1 {
		t.Fatalf("tries = %d, want %d: one more, at the wake-up", tr.tries.Load(), tries+1)
	}
}

// TestPollTryStops: closing done, or an edge counted from outside the
// loop, ends the wait once w is kicked.
func TestPollTryStops(t *testing.T) {
	for _, how := range []string{"done", "seq"} {
		t.Run(how, func(t *testing.T) {
			r := tryLoop(t)
			w, tr, _ := edgeWatcher(t, r)
			waitRole(t, w, roleFree, "the loop lending itself")
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
	waitRole(t, wa, roleFree, "the loop lending itself")
	oldB := tb.seq.Load()
	consumeReadiness(t, wa.loop.poller, func() { writeB([]byte{1}) })
	res := pollTry(t, wa, ta)
	if wb.PollUntil(tb.seq, oldB, nil, nil, nil) {
		t.Fatal("PollUntil borrowed a loop already borrowed")
	}
	defer wb.WaitEnded()
	deadline := time.Now().Add(testTimeout)
	for tb.seq.Load() == oldB {
		if time.Now().After(deadline) {
			t.Fatal("the waiting caller's edge was never reported")
		}
		runtime.Gosched()
	}
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
