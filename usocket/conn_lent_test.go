//go:build unix

package usocket

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
)

// TestParkedReadEnds: a Read that got EAGAIN and parks (on the loop lent
// to it, where the loop is lent, else handed off) is ended by a deadline
// set after its system call, by its timeout and by Close. The hook fires
// between the call and the park, so each stop can come before or after
// the park is prepared. Each case runs a few times: whether the loop is
// lent to the Read depends on the loop goroutine's timing.
func TestParkedReadEnds(t *testing.T) {
	for _, how := range []string{"deadline", "timeout", "close"} {
		t.Run(how, func(t *testing.T) {
			for range 10 {
				parkedReadEnds(t, how)
			}
		})
	}
}

func parkedReadEnds(t *testing.T, how string) {
	d, a := connPair(t)
	defer d.Close()
	// A Read woken by an edge first: a loop lends itself once it has
	// served a Watcher, so that the Read below most likely runs it.
	warm := make(chan error, 1)
	go func() { _, err := io.ReadFull(d, make([]byte, 1)); warm <- err }()
	mustWrite(t, a, "x")
	if err := testkit.Recv(t, warm, "the first Read", testTimeout); err != nil {
		t.Fatal(err)
	}
	if how == "timeout" {
		if err := d.SetReadTimeout(20 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	eagain := make(chan struct{})
	var once sync.Once
	setHook(func(op string) {
		if op == "read" {
			once.Do(func() { close(eagain) })
		}
	})
	defer testHookAfterEAGAIN.Store(nil)
	done := make(chan error, 1)
	go func() {
		_, err := d.Read(make([]byte, 8))
		done <- err
	}()
	waitFor(t, eagain, "Read to get EAGAIN")
	switch how {
	case "deadline":
		if err := d.SetReadDeadline(time.Now()); err != nil {
			t.Fatal(err)
		}
	case "close":
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	err := testkit.Recv(t, done, "the parked Read to end by the "+how, testTimeout)
	if how == "close" {
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Read after Close = %v, want net.ErrClosed", err)
		}
		return
	}
	checkTimeout(t, err)
}
