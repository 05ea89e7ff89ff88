package usocket

import (
	"io"
	"testing"
)

// TestTimeoutsNoAllocPerCall: per-call read and write timeouts cost no
// allocation per call (before the shared timer, each Write, and each Read
// that blocked, made a timer, a closure and a channel: 11 allocations per
// round trip in BenchmarkEchoPingPong).
func TestTimeoutsNoAllocPerCall(t *testing.T) {
	d, a := connPair(t)
	for _, c := range []*Conn{d, a} {
		_ = c.SetReadTimeout(testTimeout)
		_ = c.SetWriteTimeout(testTimeout)
	}
	echoed := make(chan error, 1)
	go func() { // echoes until d closes
		buf := make([]byte, 64)
		for {
			if _, err := io.ReadFull(a, buf); err != nil {
				echoed <- nil
				return
			}
			if _, err := a.Write(buf); err != nil {
				echoed <- err
				return
			}
		}
	}()
	msg := make([]byte, 64)
	roundTrip := func() {
		if _, err := d.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(d, msg); err != nil {
			t.Fatal(err)
		}
	}
	roundTrip()
	n := testing.AllocsPerRun(200, roundTrip)
	_ = d.Close()
	if err := <-echoed; err != nil {
		t.Fatalf("echo: %v", err)
	}
	// The wake-up tokens come from a sync.Pool, which the race detector
	// empties now and then: a few allocations, not one per call.
	if n > 1 {
		t.Fatalf("%.1f allocations per round trip with timeouts set, want at most 1", n)
	}
	t.Logf("%.2f allocations per round trip", n)
}
