package reactor

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestTaskChainDoesNotStarveIO: an Execute chain that queues itself again
// for ever must not keep the loop from serving another connection's I/O:
// each round of queued tasks is bounded and the loop polls between rounds.
func TestTaskChainDoesNotStarveIO(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 2)
	h := echo()
	h.open = func(c *Conn) { opened <- c }
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	a := recv(t, opened, "OnOpen of the spinning conn")
	b := dial(t, ln.Addr())
	recv(t, opened, "OnOpen of the echoed conn")

	var stop atomic.Bool
	defer stop.Store(true)
	running := make(chan struct{})
	var spins int // loop-owned
	var spin func()
	spin = func() {
		if spins++; spins == 1000 {
			close(running)
		}
		if !stop.Load() {
			_ = a.Execute(spin)
		}
	}
	if err := a.Execute(spin); err != nil {
		t.Fatal(err)
	}
	recv(t, running, "the task chain")
	_ = b.SetDeadline(time.Now().Add(10 * time.Second))
	echoRoundTrip(t, b, "served between rounds of tasks")
}
