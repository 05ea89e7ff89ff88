//go:build unix

package udp

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

// TestParkedReceiveEnds: a Receive that found nothing and parks (running
// its lent loop itself where it can, else handed off) is ended by a
// deadline set after it looked, by its timeout and by Close. The hook
// fires between the look and the park, so each stop can come before or
// after the park is prepared. Each case runs a few times: whether the
// loop is lent to the Receive depends on the loop goroutine's timing.
func TestParkedReceiveEnds(t *testing.T) {
	for _, how := range []string{"deadline", "timeout", "close"} {
		t.Run(how, func(t *testing.T) {
			for range 10 {
				parkedReceiveEnds(t, how)
			}
		})
	}
}

func parkedReceiveEnds(t *testing.T, how string) {
	_, c := listenOwnLoop(t)
	peer := listen(t, "127.0.0.1")
	// A Receive woken by a datagram first: a loop lends itself once it
	// has served a watcher, so that the Receive below most likely runs it.
	errc := blockedReceive(c)
	if _, err := peer.Send([]byte("x"), c.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, errc, "the first datagram"); err != nil {
		t.Fatal(err)
	}
	if how == "timeout" {
		if err := c.SetReadTimeout(20 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	empty := make(chan struct{})
	var once sync.Once
	setHook(func(op string) {
		if op == "receive" {
			once.Do(func() { close(empty) })
		}
	})
	defer testHookAfterEAGAIN.Store(nil)
	errc = blockedReceive(c)
	waitFor(t, empty, "Receive to find nothing")
	switch how {
	case "deadline":
		if err := c.SetReadDeadline(time.Now()); err != nil {
			t.Fatal(err)
		}
	case "close":
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	err := waitErr(t, errc, "the "+how)
	if how == "close" {
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Receive after Close = %v, want net.ErrClosed", err)
		}
		return
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Receive = %v, want a timeout", err)
	}
}
