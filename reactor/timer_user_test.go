package reactor

import (
	"sync/atomic"
	"testing"
	"time"
)

// openConn starts a reactor and returns one of its connections, and a
// channel closed after its OnClose.
func openConn(t *testing.T) (*Conn, <-chan struct{}) {
	t.Helper()
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 1)
	closed := make(chan struct{})
	ln := listen(t, r, &funcs{open: func(c *Conn) { opened <- c }, close: func(*Conn, error) { close(closed) }})
	dial(t, ln.Addr())
	return recv(t, opened, "OnOpen"), closed
}

func TestTimerStopReportsAndPrevents(t *testing.T) {
	c, _ := openConn(t)
	long, err := c.AfterFunc(time.Hour, func() {})
	if err != nil {
		t.Fatal(err)
	}
	if !long.Stop() {
		t.Fatal("Stop of a pending timer = false")
	}
	if long.Stop() {
		t.Fatal("second Stop = true")
	}
	// A Stop racing the timer's expiry: true must mean it never runs,
	// false that it ran (whichever won on this machine's schedule).
	var ran atomic.Int32
	t1, err := c.AfterFunc(20*time.Millisecond, func() { ran.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	won := t1.Stop()
	// A later timer on the same loop fires after t1 was due.
	done := make(chan struct{})
	if _, err := c.AfterFunc(60*time.Millisecond, func() { close(done) }); err != nil {
		t.Fatal(err)
	}
	recv(t, done, "the later timer")
	if n := ran.Load(); won && n != 0 || !won && n != 1 {
		t.Fatalf("Stop = %v, yet the timer ran %d times", won, n)
	}
	// Stop after the timer fired reports false.
	fired := make(chan struct{})
	t2, _ := c.AfterFunc(0, func() { close(fired) })
	recv(t, fired, "t2")
	if t2.Stop() {
		t.Fatal("Stop after firing = true")
	}
}

func TestTimerReset(t *testing.T) {
	c, closed := openConn(t)
	runs := make(chan time.Time, 4)
	tm, err := c.AfterFunc(time.Hour, func() { runs <- time.Now() })
	if err != nil {
		t.Fatal(err)
	}
	if !tm.Reset(10 * time.Millisecond) {
		t.Fatal("Reset of a pending timer = false")
	}
	recv(t, runs, "run after Reset")
	// Reset after it fired: it reports false and runs again.
	if tm.Reset(0) {
		t.Fatal("Reset after firing = true")
	}
	recv(t, runs, "second run")
	// Reset after Stop: false, and it runs.
	tm.Reset(time.Hour)
	tm.Stop()
	if tm.Reset(0) {
		t.Fatal("Reset after Stop = true")
	}
	recv(t, runs, "run after Stop and Reset")
	// A Reset to later before the first time replaces that run (the two
	// calls come far less than 300ms apart).
	start := time.Now()
	tm.Reset(300 * time.Millisecond)
	tm.Reset(600 * time.Millisecond)
	if at := recv(t, runs, "run of the last Reset"); at.Sub(start) < 600*time.Millisecond {
		t.Fatalf("ran %v after the Resets, before the last one's 600ms", at.Sub(start))
	}
	// Once the connection has ended, Reset and Stop report false.
	tm.Reset(time.Hour)
	_ = c.Abort()
	recv(t, closed, "OnClose")
	if tm.Reset(0) || tm.Stop() {
		t.Fatal("Reset or Stop of a closed connection's timer reported true")
	}
}

// Stop and Reset from many goroutines: f never runs after a Stop that
// reported true unless a Reset followed.
func TestTimerStopResetRace(t *testing.T) {
	c, _ := openConn(t)
	var runs, armed atomic.Int64
	tm, err := c.AfterFunc(time.Millisecond, func() { runs.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 500; i++ {
				if i%2 == 0 {
					tm.Reset(time.Duration(i%3) * time.Microsecond)
					armed.Add(1)
				} else {
					tm.Stop()
				}
			}
		}()
	}
	for range 4 {
		recv(t, done, "goroutine")
	}
	tm.Stop()
	// After the final Stop, a barrier through the loop; then nothing more runs.
	barrier := make(chan struct{})
	_ = c.Execute(func() { close(barrier) })
	recv(t, barrier, "barrier")
	before := runs.Load()
	fin := make(chan struct{})
	_, _ = c.AfterFunc(20*time.Millisecond, func() { close(fin) })
	recv(t, fin, "final timer")
	if after := runs.Load(); after != before || after > armed.Load()+1 {
		t.Fatalf("runs %d then %d after the last Stop (armed %d)", before, after, armed.Load())
	}
}
