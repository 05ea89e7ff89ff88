//go:build ((linux && usocket_portable) || darwin || dragonfly || freebsd || netbsd || openbsd) && !usocket_netstd

package reactor

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// readablePipe returns the read end of a new pipe with a byte in it; both
// ends are closed when the test ends (the read end unless closed before).
func readablePipe(t *testing.T) int {
	t.Helper()
	p := make([]int, 2)
	if err := unix.Pipe(p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Close(p[0]); _ = unix.Close(p[1]) })
	if _, err := unix.Write(p[1], []byte{1}); err != nil {
		t.Fatal(err)
	}
	return p[0]
}

// TestPortableDropsEventOfReusedNumber: the portable kernels name only a
// descriptor number. While a batch is dispatched, descriptor a's
// registration (generation 1) goes, a's number is given to another
// readable pipe and registered anew (generation 2); a's event still in the
// batch belongs to generation 1 and must not be handed out as generation
// 2's. Generation 2's own readiness is reported from the next batch on.
func TestPortableDropsEventOfReusedNumber(t *testing.T) {
	p, err := openPoller(IdleWaitAuto)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	a, b := readablePipe(t), readablePipe(t)
	if err := p.setEvents(a, 1, 0, evRead); err != nil {
		t.Fatal(err)
	}
	var swapBatch uint64
	p.testHook = func(fd int) {
		if fd != a || swapBatch != 0 {
			return
		}
		if err := p.setEvents(a, 1, evRead, 0); err != nil {
			t.Error(err)
		}
		if err := dupOnto(b, a); err != nil { // closes a's pipe, reuses its number
			t.Error(err)
		}
		if err := p.setEvents(a, 2, 0, evRead); err != nil {
			t.Error(err)
		}
		swapBatch = p.batch
	}
	stop := func(any) error { return errStop }
	timeout := time.AfterFunc(10*time.Second, func() { _ = p.trigger(stop, nil) })
	defer timeout.Stop()
	stale, fresh := false, false
	err = p.poll(func(fd int, gen uint32, _ uint32) {
		switch {
		case fd != a || gen != 2:
		case p.batch == swapBatch:
			stale = true
		case !fresh:
			fresh = true
			_ = p.trigger(stop, nil)
		}
	})
	if err != errStop {
		t.Fatalf("poll: %v", err)
	}
	if stale {
		t.Fatal("generation 1's event, queued before a's number was reused, was dispatched as generation 2's")
	}
	if !fresh {
		t.Fatal("generation 2's readiness was never reported (timed out)")
	}
}
