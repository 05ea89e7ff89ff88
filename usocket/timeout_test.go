package usocket

import (
	"io"
	"testing"
)

// TestTimeoutsNoAllocPerCall: per-call read and write timeouts add no
// allocation per call (before the shared timer, each Write, and each Read
// that blocked, made a timer, a closure and a channel: 11 allocations more
// per round trip in BenchmarkEchoPingPong). The same echo without
// timeouts is the baseline, so what the backend itself allocates (the net
// backend's reader goroutine hands over buffers) does not count.
func TestTimeoutsNoAllocPerCall(t *testing.T) {
	without := echoAllocs(t, false)
	with := echoAllocs(t, true)
	// The wake-up tokens come from a sync.Pool, which the race detector
	// empties now and then: a fraction, not one per call.
	if with-without > 1 {
		t.Fatalf("%.1f allocations per round trip with timeouts set, %.1f without: want at most 1 more",
			with, without)
	}
	t.Logf("%.2f allocations per round trip with timeouts, %.2f without", with, without)
}

// echoAllocs measures the allocations of one 64-byte round trip between a
// fresh pair of connections, with or without per-call timeouts on both.
func echoAllocs(t *testing.T, timeouts bool) float64 {
	t.Helper()
	d, a := connPair(t)
	if timeouts {
		for _, c := range []*Conn{d, a} {
			_ = c.SetReadTimeout(testTimeout)
			_ = c.SetWriteTimeout(testTimeout)
		}
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
	return n
}
