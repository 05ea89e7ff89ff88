//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// withStallInterval shortens the stall watchdog's interval for a test.
func withStallInterval(d time.Duration) Option { return func(o *Options) { o.stallEvery = d } }

// TestStallWatchWakesSleepingLoop (issue 12): a loop that parks in the Go
// runtime poller with events ready, its wake-up lost, is woken by the
// stall watchdog instead of sleeping until some other event comes, and the
// rescue is counted.
//
// The lost wake-up is made by a test hook: every look RawConn.Read makes
// while the peer's data is queued on the epoll fd is made blind, so the
// runtime poller's notice is spent and the loop parks again with the event
// still queued, however the two race. Only the watchdog's kick ends that
// park (the look after it is not hooked). Before the watchdog existed, the
// loop slept until the test timed out.
func TestStallWatchWakesSleepingLoop(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1), WithIdleWait(IdleWaitPark), withStallInterval(10*time.Millisecond))
	fd, peer := socketPair(t)
	edges := make(chan struct{}, 16)
	w, err := r.WatchEdge(fd, &fdFuncs{readable: func(*Watcher) {
		select {
		case edges <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	t.Cleanup(func() { _ = w.Close(); _ = unix.Close(fd) })

	var blind atomic.Bool
	var blinded atomic.Int32
	t.Cleanup(func() { blind.Store(false) }) // before Close: a failed run must still stop
	installed := make(chan struct{})
	if err := w.Execute(func() {
		p := w.loop.poller
		look := p.tryFn
		p.tryFn = func(epfd uintptr) bool {
			if blind.Load() && epollReadable(int(epfd)) {
				blinded.Add(1)
				return false // the events stay queued; the loop parks again
			}
			return look(epfd)
		}
		close(installed)
	}); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	recv(t, installed, "the blind look to be installed")
	blind.Store(true)
	// A watchdog kick of the idle park can come just as the data does: its
	// look, not hooked, then finds the data first. Write again until a
	// wake-up was lost.
	for i := 0; blinded.Load() == 0; i++ {
		if i == 20 {
			t.Fatal("the loop never made a blind look: the test did not lose a wake-up")
		}
		if _, err := peer.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		recv(t, edges, "OnReadable for data that came while the loop's wake-up was lost")
	}
	blind.Store(false)
	if n := r.Stats().Total.StallRescues; n == 0 {
		t.Errorf("StallRescues = 0 after the watchdog woke the loop")
	}
}

// epollReadable reports whether epoll fd epfd has events ready, without
// taking them.
func epollReadable(epfd int) bool {
	fds := []unix.PollFd{{Fd: int32(epfd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n > 0
}

// TestStallWatchSleepsWithoutParks: a reactor whose loops never park in
// the Go poller (here IdleWaitBlock) leaves its watchdog asleep, with no
// timer pending. A ticking watchdog made every idle thread of the process
// wait in the runtime's netpoll and cost the matrix's ping-pong cells about
// a fifth more server CPU per round trip.
func TestStallWatchSleepsWithoutParks(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(2), WithIdleWait(IdleWaitBlock), withStallInterval(time.Millisecond))
	deadline := time.Now().Add(testTimeout)
	for !r.stall.sleeping.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the stall watchdog still ticks with no loop parked in the Go poller")
		}
		runtime.Gosched()
	}
}
