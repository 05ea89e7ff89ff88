//go:build windows || usocket_netstd

package reactor

import (
	"github.com/usocket-go/usocket/internal/handles"
	"github.com/usocket-go/usocket/internal/stepper"
)

// netSource turns a blocking producer, a net.Conn's Read or a
// net.Listener's Accept, into read readiness for a loop, the way a kernel
// poller reports it on the other backends. Its goroutine runs one step of
// the producer only when the loop arms it: read interest is on and the
// previous result was consumed. So at most one result waits per socket
// (memory stays bounded) and a paused connection is not read at all. A
// finished step is posted to the loop, which reports it (readable) to the
// registration of the source's generation if read interest is still on.
//
// Everything but st is owned by the loop; the step's result fields (in
// netConn, netListener) are written by the goroutine before it posts, and
// read by the loop after: the task queue orders the two.
type netSource struct {
	fd      int     // the handle that names the source in the loop's table
	p       *poller // the loop's poller, from the first setInterest
	gen     uint32  // the registration's generation
	want    uint32  // the registration's interest
	busy    bool    // a step is running
	ready   bool    // a result waits for the loop
	done    bool    // the last step ran (an error, EOF, a closed listener)
	started bool    // the goroutine runs
	st      stepper.Stepper
	step    func() (last bool) // one blocking call; true if it was the last
	drop    func()             // releases a result that arrives after close; may be nil
}

// init names the source with a new handle and sets its step.
func (s *netSource) init(step func() bool, drop func()) {
	s.st.Init()
	s.step, s.drop = step, drop
	s.fd = sources.Add(s)
}

// setInterest records the registration (on the loop) and arms the step,
// or reports a result already waiting.
func (s *netSource) setInterest(p *poller, gen, want uint32) {
	s.p, s.gen, s.want = p, gen, want
	if want&evRead == 0 {
		return
	}
	if s.ready {
		_ = p.trigger(sourceNotifyTask, s) // not from inside the caller
		return
	}
	s.arm()
}

// arm lets the goroutine run one step, starting it the first time.
func (s *netSource) arm() {
	if s.busy || s.ready || s.done || s.want&evRead == 0 || s.st.Stopped() {
		return
	}
	s.busy = true
	if !s.started {
		s.started = true
		s.p.aux.Add(1)
		go s.run(s.p)
	}
	s.st.Kick() // busy keeps a second one out
}

// consumed is called by the loop once it took the waiting result: the
// next step may run.
func (s *netSource) consumed() {
	s.ready = false
	s.arm()
}

// renotify reports the waiting result again, later on the loop: what is
// left of it is read by the next event.
func (s *netSource) renotify() { _ = s.p.trigger(sourceNotifyTask, s) }

// run is the source's goroutine: a step per kick, each result posted to
// the loop, until the last step or the source closing. p is its loop's
// poller (s.p is the loop's to write).
func (s *netSource) run(p *poller) {
	defer p.aux.Done()
	s.st.Run(func() bool {
		last := s.step()
		_ = p.trigger(sourceReadyTask, s)
		return last
	})
}

// close stops the goroutine once its step returns (the caller closes the
// socket, which ends a blocked step) and frees the handle. Safe from any
// goroutine; only the first call counts.
func (s *netSource) close() {
	if s.st.Stop() {
		sources.Remove(s.fd)
	}
}

// sourceReadyTask takes a step's result on the loop and reports it.
func sourceReadyTask(p any) error {
	s := p.(*netSource)
	s.busy, s.ready = false, true
	if s.st.Stopped() {
		if s.drop != nil {
			s.drop()
		}
		return nil
	}
	s.notify()
	return nil
}

func sourceNotifyTask(p any) error {
	if s := p.(*netSource); s.ready && !s.st.Stopped() {
		s.notify()
	}
	return nil
}

// notify reports readiness to the registration, if it still wants it. A
// registration that has gone, or a newer one on the same handle, has
// another generation: the loop drops the event.
func (s *netSource) notify() {
	if s.want&evRead != 0 {
		s.p.dispatch(s.fd, s.gen, evRead)
	}
}

// sources gives each net source a small number, its "descriptor" in the
// loops' tables; freed numbers are reused, and every registration on one
// still gets its own generation.
var sources handles.Table[netSource]
