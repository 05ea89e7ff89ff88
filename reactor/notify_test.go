package reactor

import (
	"testing"
	"time"
)

// TestNotifierRequestsQueueNoTask: PauseRead and ResumeRead called from
// OnWriteBlocked and OnWriteDrained, on the loop itself, are served by the
// loop's own pass: no task is queued and no eventfd written to wake the
// loop that is already running.
func TestNotifierRequestsQueueNoTask(t *testing.T) {
	const high, total = 64 << 10, 16 << 20
	r, _ := newTestReactor(t, WithLoops(1), WithWriteWaterMarks(high, high/4))
	h := &pausingEcho{blocked: make(chan struct{}), drained: make(chan struct{}, 1)}
	ln := listen(t, r, h)
	c := dialSmallRead(t, ln.Addr(), 16<<10) // so the echo queues up on the server
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := readFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	before := r.Stats().Total.TasksRun
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(make([]byte, total))
		werr <- err
	}()
	recv(t, h.blocked, "OnWriteBlocked")
	if n, err := readFull(c, make([]byte, total)); err != nil {
		t.Fatalf("read the echo: %d bytes, %v", n, err)
	}
	if err := recv(t, werr, "client write"); err != nil {
		t.Fatal(err)
	}
	recv(t, h.drained, "OnWriteDrained")
	if n := r.Stats().Total.TasksRun - before; n != 0 && !eventsAreTasks {
		t.Fatalf("%d task(s) queued while the echo paused and resumed itself, want 0", n)
	}
}
