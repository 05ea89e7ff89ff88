//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestHeavyTaskChainLetsLoopLook: a round of tasks ends once it has run
// for roundBudget, so a chain of tasks (each queueing the next with
// Execute) whose every step takes that long runs one step per round, and
// the loop looks for I/O and due timers between steps. Each step checks,
// from the kernel's side, whether the other connection has input waiting
// and whether the loop's timerfd has expired; once either is so, the very
// next step must find it served. Before, a round ran up to 256 steps back
// to back, and with steps that did real work (a handler filling its queue)
// the loop's timers and other connections waited whole seconds: the
// faults suite's slow-writer test saw its 2 s stop timer not fire in 20 s
// on a loaded machine.
func TestHeavyTaskChainLetsLoopLook(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	l := r.loops[0]
	opened := make(chan *Conn, 2)
	var gotData bool // loop-owned, as everything the chain touches
	h := echo()
	h.open = func(c *Conn) { opened <- c }
	h.data = func(*Conn, []byte) { gotData = true }
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	a := recv(t, opened, "OnOpen of the chained conn")
	client := dial(t, ln.Addr())
	b := recv(t, opened, "OnOpen of the reading conn")

	const most = 5000 // steps: a bound, far above what the checks need
	type outcome struct {
		steps                 int
		inputSteps, dueSteps  int // steps that found input or a due timer not yet served
		timerFired, dataFired bool
	}
	done := make(chan outcome, 1)
	started := make(chan struct{})
	var (
		o   outcome
		tm  *Timer
		err error
	)
	var step func()
	step = func() {
		for t0 := monotonic(); monotonic()-t0 < roundBudget; {
			// a step that does a round's worth of work
		}
		o.steps++
		if o.steps == 1 {
			if tm, err = a.AfterFunc(time.Millisecond, func() { o.timerFired = true }); err != nil {
				t.Error(err)
			}
			close(started)
		}
		o.dataFired = gotData
		if !o.dataFired && inputWaiting(t, b) {
			o.inputSteps++
		}
		if !o.timerFired && timerExpired(t, l, tm) {
			o.dueSteps++
		}
		if (o.dataFired && o.timerFired) || o.inputSteps > 1 || o.dueSteps > 1 || o.steps == most {
			done <- o
			return
		}
		_ = a.Execute(step)
	}
	if err := a.Execute(step); err != nil {
		t.Fatal(err)
	}
	recv(t, started, "the chain's first step")
	if _, err := client.Write([]byte{1}); err != nil {
		t.Fatal(err)
	}
	got := recv(t, done, "the chain's end")
	if got.inputSteps > 1 || got.dueSteps > 1 {
		t.Fatalf("%d steps found input waiting unread, %d found the timer due and not fired; want at most 1 each (the next step must find it served)",
			got.inputSteps, got.dueSteps)
	}
	if !got.dataFired || !got.timerFired {
		t.Fatalf("after %d steps: OnData %v, timer fired %v; want both", got.steps, got.dataFired, got.timerFired)
	}
}

// inputWaiting reports whether c's socket has bytes the loop has not read.
func inputWaiting(t *testing.T, c *Conn) bool {
	n, err := unix.IoctlGetInt(c.fd, unix.SIOCINQ)
	if err != nil {
		t.Error(err)
	}
	return n > 0
}

// timerExpired reports whether tm is the loop's first timer and the
// timerfd armed for it has expired, so the loop's next look must fire it.
func timerExpired(t *testing.T, l *loop, tm *Timer) bool {
	h := &l.timers
	if tm == nil || len(h.items) == 0 || h.items[0] != tm || h.armed != tm.when {
		return false
	}
	var cur unix.ItimerSpec
	if err := unix.TimerfdGettime(h.fd, &cur); err != nil {
		t.Error(err)
	}
	return cur.Value.Sec == 0 && cur.Value.Nsec == 0
}
