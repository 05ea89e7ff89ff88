package reactor

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// onLoop reports whether the caller runs on a reactor loop goroutine.
func onLoop() bool {
	buf := make([]byte, 64<<10)
	return strings.Contains(string(buf[:runtime.Stack(buf, false)]), "reactor.(*loop).serve")
}

func TestIdleTimeoutClosesIdleConn(t *testing.T) {
	// The gap below must stay well under idle even on a loaded machine (a
	// 100 ms idle time was passed by a 50 ms gap under load).
	const idle = time.Second
	r, _ := newTestReactor(t, WithIdleTimeout(idle))
	type closing struct {
		err error
		at  time.Time
	}
	closed := make(chan closing, 1)
	h := echo()
	h.close = func(c *Conn, err error) { closed <- closing{err, time.Now()} }
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	<-time.After(idle / 4) // a gap of silence, then traffic
	sent := time.Now()
	echoRoundTrip(t, c, "traffic resets the idle clock")
	got := recv(t, closed, "OnClose")
	if !errors.Is(got.err, ErrIdleTimeout) {
		t.Fatalf("OnClose(%v), want ErrIdleTimeout", got.err)
	}
	// The timer restarted at the echo: closing earlier means it did not.
	if d := got.at.Sub(sent); d < idle {
		t.Fatalf("closed %v after the last traffic, want >= %v", d, idle)
	}
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Fatalf("client read %q, %v after idle close; want EOF", b, err)
	}
}

func TestAfterFuncRunsOnLoopAndStopCancels(t *testing.T) {
	r, _ := newTestReactor(t)
	c, _ := echoConn(t, r)

	type firing struct {
		name   string
		onLoop bool
		at     time.Time
	}
	fired := make(chan firing, 8)
	fire := func(name string) func() {
		return func() { fired <- firing{name, onLoop(), time.Now()} }
	}

	// Off the loop: a timer fires once, on the loop, never early.
	start := time.Now()
	if _, err := c.AfterFunc(20*time.Millisecond, fire("plain")); err != nil {
		t.Fatalf("AfterFunc: %v", err)
	}
	f := recv(t, fired, "timer")
	if f.name != "plain" || !f.onLoop || f.at.Sub(start) < 20*time.Millisecond {
		t.Fatalf("timer %q fired on loop %v after %v; want plain, on the loop, >= 20ms", f.name, f.onLoop, f.at.Sub(start))
	}

	// On the loop, AfterFunc and Stop are queued back to back, so the
	// stopped timer can never fire, even with d = 0; the later one proves
	// time went by.
	stopped := make(chan error, 1)
	if err := c.Execute(func() {
		t0, err := c.AfterFunc(0, fire("stopped on loop"))
		if err == nil {
			t0.Stop()
		}
		t1, _ := c.AfterFunc(time.Hour, fire("stopped on loop, long"))
		t1.Stop()
		_, _ = c.AfterFunc(30*time.Millisecond, fire("witness"))
		stopped <- err
	}); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if err := recv(t, stopped, "Execute"); err != nil {
		t.Fatalf("AfterFunc on the loop: %v", err)
	}
	if f := recv(t, fired, "witness timer"); f.name != "witness" {
		t.Fatalf("timer %q fired; it was stopped", f.name)
	}

	// Off the loop, with time to spare before the stopped timer is due.
	t2, err := c.AfterFunc(300*time.Millisecond, fire("stopped off loop"))
	if err != nil {
		t.Fatal(err)
	}
	t2.Stop()
	t2.Stop() // twice is harmless
	if _, err := c.AfterFunc(400*time.Millisecond, fire("second witness")); err != nil {
		t.Fatal(err)
	}
	if f := recv(t, fired, "second witness"); f.name != "second witness" {
		t.Fatalf("timer %q fired; it was stopped", f.name)
	}
	var nilTimer *Timer
	nilTimer.Stop() // a nil *Timer (failed AfterFunc) is safe to Stop
}

func TestAfterFuncPanicIsReported(t *testing.T) {
	r, sink := newTestReactor(t)
	c, cc := echoConn(t, r)
	if _, err := c.AfterFunc(0, func() { panic("in a timer") }); err != nil {
		t.Fatal(err)
	}
	sink.waitFor(t, "*PanicError from the timer", func(err error) bool {
		var pe *PanicError
		return errors.As(err, &pe) && pe.Value == "in a timer"
	})
	echoRoundTrip(t, cc, "the loop survived")
}
