package reactor

import "sync/atomic"

// Lending a loop to a blocked caller (Linux epoll backend; elsewhere
// PollUntil always declines).
//
// A facade call that got EAGAIN parks until the loop reports the next
// edge. Through the loop goroutine that costs a second scheduler hop per
// wake-up: the Go poller wakes the loop goroutine, which wakes the caller,
// and readying that goroutine wakes an idle processor's thread (a futex
// call and a spinning thread) besides. When the loop is idle and serves
// nothing but lendable edge watchers, it lends itself instead: the loop
// goroutine steps aside, and the next blocked caller becomes the loop,
// parking in the Go poller on the loop's epoll descriptor itself. The
// runtime then wakes that caller directly, as it wakes a goroutine blocked
// in a *net.TCPConn; the caller runs the loop's round (every event of the
// batch, and queued tasks) and returns once its own edge came.
//
// The role (who may run the loop) is handed over with atomics, so the
// loop's state is only ever touched by one goroutine at a time and each
// holder sees what the previous one did. A loop nobody holds is taken back
// by its goroutine when a task is queued, when a caller parks without
// being able to borrow it (waiters), or after lendBackstop at the latest.
const (
	roleLoop     int32 = iota // the loop goroutine runs the loop
	roleFree                  // lent, not borrowed: nobody watches the epoll set
	roleBorrowed              // a blocked caller runs the loop
)

// lendState is a poller's share of lending.
type lendState struct {
	role    atomic.Int32
	waiters atomic.Int32  // callers parked elsewhere while the loop is lent
	reclaim chan struct{} // wakes the loop goroutine to take its loop back
	stopped bool          // a borrower ran the stop task; role holder owns it
	// backstops counts the registered lendable watchers whose edges need
	// the backstop (all but WaitersOnly ones); role holder owns it.
	backstops int
	borrows   atomic.Uint64 // waits that borrowed the loop, for Stats
	reclaims  atomic.Uint64 // take-backs by the loop goroutine, for Stats
}

func (s *lendState) initLend() { s.reclaim = make(chan struct{}, 1) }

// Lendable marks an edge watcher whose handler does nothing but short,
// non-blocking work and waking goroutines (a blocking facade's socket; a
// UDP socket's handler also reads the datagrams into its queue): its loop
// may be lent to a blocked caller, whose goroutine then runs the handler
// (see PollUntil), while only such watchers are registered on it. Events
// of a lendable watcher may then wait up to about 200 µs while nobody
// waits for them (a loop lent to nobody is taken back by its goroutine
// that long after; see WaitersOnly); callers that wait on its edges (borrowing
// the loop, or counted by Waiting) and observed watchers (SetObserved)
// are never delayed.
func Lendable(opts ...LendOption) WatchOption {
	return func(w *Watcher) {
		w.lendable = true
		for _, o := range opts {
			o(w)
		}
	}
}

// LendOption tunes how a Lendable watcher is lent.
type LendOption func(*Watcher)

// WaitersOnly says that the watcher's edges matter only to callers that
// wait for them (borrowing the loop, or counted by Waiting): a blocking
// facade's connection, whose calls make their system call before they
// wait, so an edge nobody waits for may stay unreported for good. While
// every lendable watcher of a loop is WaitersOnly, its loop lent to nobody
// is not taken back after 200 µs: that timer, armed at every lend, cost a
// wake-up of the loop goroutine every 200 µs while callers kept borrowing
// the loop.
func WaitersOnly() LendOption { return func(w *Watcher) { w.waitersOnly = true } }

// PollUntil is for a caller about to park until *seq differs from old
// (or done, deadline or timeout is closed; any may be nil): it runs w's
// loop on the calling goroutine instead, when the loop is lent: it parks
// in the Go runtime poller on the loop's epoll descriptor, runs each round
// of events and tasks, and returns true once *seq != old or one of the
// channels is closed. Whoever closes one of them must then Kick w. When
// the loop is not lent it returns false at once; the caller is then
// counted as waiting, must park by its own means and call WaitEnded
// afterwards.
func (w *Watcher) PollUntil(seq *atomic.Uint64, old uint64, done, deadline, timeout <-chan struct{}) bool {
	return w.loop.poller.pollUntil(seq, old, done, deadline, timeout)
}

// A Trier is a blocked caller's own non-blocking system call, for
// PollTry.
type Trier interface {
	// Try makes the call and reports whether it is done (it did not fail
	// with EAGAIN); the caller keeps the result.
	Try() bool
	// Stops returns what ends the wait besides Try being done: *seq
	// differing from old, or done, deadline or timeout (any may be nil)
	// closing; whoever closes one, or changes *seq from outside the loop,
	// must then Kick the watcher. PollTry asks once, when Try first failed;
	// old is read before the channels.
	Stops() (seq *atomic.Uint64, old uint64, done, deadline, timeout <-chan struct{})
}

// PollTry is PollUntil for a caller that brings its system call: when w's
// loop is lent, it runs the loop on the calling goroutine and calls t.Try
// first once its park in the Go runtime poller is prepared and again first
// after each wake-up, as a *net.TCPConn's Read makes its call. It returns
// true once t.Try reported done, a stop of t.Stops came or the reactor
// stops. While nothing else needs the loop's events (no task, no other
// caller counted as waiting, only WaitersOnly watchers), a wake-up that
// t.Try explains costs no look at them. When the loop is not lent it
// returns false at once, without calling t and without counting the
// caller (Linux epoll backend; elsewhere it always returns false).
func (w *Watcher) PollTry(t Trier) bool { return w.loop.poller.pollTry(w.fd, t) }

// Waiting counts a caller about to park on w's edges without offering to
// run the loop (a wait a context can cancel): a lent loop is taken back at once,
// so that its edges reach that caller without delay. WaitEnded ends it.
func (w *Watcher) Waiting() { w.loop.poller.waiting() }

// WaitEnded ends the wait of a caller for which PollUntil returned false,
// or that Waiting counted: once, when the caller is woken or gives up
// (wake.Edge calls it from the Notify that wakes the caller).
func (w *Watcher) WaitEnded() { w.loop.poller.waiters.Add(-1) }

// Kick wakes a caller running w's loop through PollUntil, so that it
// notices a change (its descriptor closing, a new deadline) that is not a
// loop event. Cheap when the loop is not borrowed. Safe from any goroutine.
func (w *Watcher) Kick() {
	if w.loop.poller.role.Load() == roleBorrowed {
		_ = w.loop.run(kickTask, nil)
	}
}

func kickTask(any) error { return nil }

// lendable reports whether the loop may be lent now: only lendable
// watchers are registered and no timer is armed.
func (l *loop) lendable() bool { return l.unlendable == 0 && l.timers.armed == 0 }

// countReg keeps l.unlendable and the backstop count: d is +1 when p is
// registered, -1 when it goes. The timer descriptor does not count; its
// timers do (lendable).
func (l *loop) countReg(p pollable, d int) {
	switch p := p.(type) {
	case interface{ timerFD() }:
		return
	case *Watcher:
		if p.edge && p.lendable && !p.observed {
			if !p.waitersOnly {
				l.poller.backstops += d
			}
			return
		}
	}
	l.unlendable += d
}

// SetObserved says whether something besides blocked calls follows the
// edges of a lendable watcher: a wait list holding its socket, say
// (waitlist.Signal.SetObserver). While one does, w counts as not lendable,
// so its loop is not lent and its edges are reported without the lent
// loop's delay. Safe from any goroutine; it takes effect on the loop, in
// order with other work queued there.
func (w *Watcher) SetObserved(on bool) {
	f := unobserveTask
	if on {
		f = observeTask
	}
	_ = w.loop.run(f, w) // fails only once the reactor stops: nothing to lend then
}

func observeTask(p any) error   { p.(*Watcher).setObserved(true); return nil }
func unobserveTask(p any) error { p.(*Watcher).setObserved(false); return nil }

// setObserved records on and keeps the loop's count of what is not
// lendable: a registered watcher is counted out and in again around the
// change; one not registered (yet, or any more) is counted when it is.
func (w *Watcher) setObserved(on bool) {
	if w.observed == on {
		return
	}
	l := w.loop
	registered := w.fd < len(l.fds) && l.fds[w.fd].p == w
	if registered {
		l.countReg(w, -1)
	}
	w.observed = on
	if registered {
		l.countReg(w, 1)
	}
}

// isClosed reports whether ch is closed (a nil ch never is).
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
