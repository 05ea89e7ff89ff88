package stepper

import (
	"sync"
	"sync/atomic"
)

// Stepper is the go-ahead and stop signal between a blocking step's
// goroutine (Run) and the consumer of its results. Init it before use;
// it must not be copied after.
type Stepper struct {
	kick    chan struct{} // cap 1: one step may run
	quit    chan struct{} // closed by Stop
	once    sync.Once
	stopped atomic.Bool
}

// Init makes the stepper's channels.
func (s *Stepper) Init() {
	s.kick = make(chan struct{}, 1)
	s.quit = make(chan struct{})
}

// Run runs step once per Kick, until a step reports it was the last or
// Stop. It is the goroutine's body: a step that blocks is ended by
// closing what it blocks on (its socket), not by Stop.
func (s *Stepper) Run(step func() (last bool)) {
	for {
		select {
		case <-s.kick:
		case <-s.quit:
			return
		}
		if step() {
			return
		}
	}
}

// Kick lets Run take one more step. The consumer kicks once per result
// it took, so none is pending; a kick already pending absorbs this one.
// It never blocks.
func (s *Stepper) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Stop ends Run before its next step, and reports whether this was the
// first call. Safe from any goroutine.
func (s *Stepper) Stop() (first bool) {
	s.once.Do(func() {
		s.stopped.Store(true)
		close(s.quit)
		first = true
	})
	return first
}

// Stopped reports whether Stop was called.
func (s *Stepper) Stopped() bool { return s.stopped.Load() }
