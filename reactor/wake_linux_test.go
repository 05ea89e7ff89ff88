//go:build !usocket_portable && !usocket_netstd

package reactor

import "testing"

// TestFailedWakeStillRunsTask: once a task is queued it runs, even if the
// eventfd write that should wake the loop for it fails. The call that
// queued it succeeds (its caller must not undo what the task will do: the
// accept path closed a descriptor that its queued registration then used),
// the failure is counted (LoopStats.WakeFailures), and the next task queued wakes the
// loop, which runs both in order. Before, Execute returned the wake error
// for a task that still ran, and the wake-up flag stayed taken, so no later
// task woke the loop either.
func TestFailedWakeStillRunsTask(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	p := r.loops[0].poller
	c, _ := echoConn(t, r)
	spinUntil(t, "no eventfd write pending", func() bool { return p.wakeup.Load() == 0 })

	ran := make(chan string, 2)
	p.testWakeFail.Store(true)
	err := c.Execute(func() { ran <- "first" })
	p.testWakeFail.Store(false)
	if err != nil {
		t.Fatalf("Execute with a failed wake-up: %v; want nil, the task is queued", err)
	}
	if n := r.Stats().Total.WakeFailures; n != 1 {
		t.Fatalf("WakeFailures = %d, want 1", n)
	}
	if err := c.Execute(func() { ran <- "second" }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"first", "second"} {
		if got := recv(t, ran, "a queued task"); got != want {
			t.Fatalf("task %q ran, want %q", got, want)
		}
	}
}
