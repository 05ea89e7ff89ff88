package stepper

import (
	"testing"
	"time"
)

// newStepper returns a stepper ready to Run.
func newStepper() *Stepper {
	s := new(Stepper)
	s.Init()
	return s
}

// start runs s with a step that reports each step on steps and ends after
// the step numbered last; done closes when Run returns.
func start(s *Stepper, last int) (steps chan int, done chan struct{}) {
	steps, done = make(chan int, 16), make(chan struct{})
	n := 0
	go func() {
		defer close(done)
		s.Run(func() bool {
			n++
			steps <- n
			return n == last
		})
	}()
	return steps, done
}

func waitFor[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out")
	}
	var zero T
	return zero
}

func TestStepPerKick(t *testing.T) {
	s := newStepper()
	steps, done := start(s, 0)
	for want := 1; want <= 3; want++ {
		s.Kick()
		if got := waitFor(t, steps); got != want {
			t.Fatalf("step %d, want %d", got, want)
		}
	}
	if !s.Stop() {
		t.Fatal("first Stop not reported first")
	}
	waitFor(t, done)
	if len(steps) != 0 {
		t.Fatalf("%d steps without a kick", len(steps))
	}
}

func TestLastStepEndsRun(t *testing.T) {
	s := newStepper()
	steps, done := start(s, 1)
	s.Kick()
	waitFor(t, steps)
	waitFor(t, done)
	s.Kick() // nobody runs: must not block
	if s.Stopped() {
		t.Fatal("stopped without Stop")
	}
}

func TestStopBeforeKick(t *testing.T) {
	s := newStepper()
	steps, done := start(s, 0)
	s.Stop()
	waitFor(t, done)
	if len(steps) != 0 {
		t.Fatal("stepped after Stop without a kick")
	}
	if s.Stop() || !s.Stopped() {
		t.Fatal("second Stop reported first, or Stopped false")
	}
}

func TestKickNeverBlocks(t *testing.T) {
	s := newStepper()
	s.Kick()
	s.Kick() // the first is still pending
	steps, done := start(s, 0)
	waitFor(t, steps)
	s.Stop()
	waitFor(t, done)
	if len(steps) != 0 {
		t.Fatal("two pending kicks ran two steps")
	}
}
