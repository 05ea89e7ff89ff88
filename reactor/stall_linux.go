//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// defaultStallInterval is how often the stall watchdog looks at the loops.
const defaultStallInterval = 500 * time.Millisecond

// stallWatch is the reactor's stall watchdog, the Linux backend's defence
// against a lost wake-up (issue 12).
//
// A loop that served a Watcher parks in the Go runtime poller on its own
// epoll fd: nested epoll, whose wake-up depends on the outer (runtime)
// epoll being told of every event that lands on the inner one, and on the
// loop's non-blocking look before it parks seeing what is ready (the
// kernel says that a zero-timeout epoll_wait may miss events that another
// scan of the same epoll is moving at that instant). Should either ever
// fail, the loop would sleep with events ready until the next event came,
// which on a quiet server may be never. Go's runtime has sysmon for the
// like; we have this: a goroutine per reactor that, every interval, looks
// at each loop, and ends a park in the Go poller that it has seen at two
// looks in a row with an expired read deadline. The woken loop looks
// again; if events were ready, the park had outlived them, which
// LoopStats.StallRescues counts and the watchdog logs as a warning.
//
// The watchdog never touches the epoll fd itself (a poll(2) of it would be
// one more scan to race with). The cost on the hot path is one atomic add
// and two atomic stores per blocking wait; an idle loop parked in the Go
// poller is woken about once a second, after which it blocks in
// epoll_wait (IdleWaitAuto) or parks again (IdleWaitPark).
//
// The watchdog sleeps without a timer while no loop is parked in the Go
// poller (a reactor of callback handlers blocks in epoll_wait and never
// parks there): a pending Go timer would make every idle thread of the
// process wait in the runtime's netpoll instead of on a futex, and each
// wake-up of the loop goroutine cost a netpoll break, about a fifth more
// CPU per round trip in the benchmark matrix. A loop that parks while the
// watchdog sleeps rings its bell (one atomic load per park otherwise).
type stallWatch struct {
	stop chan struct{}
	done chan struct{}

	sleeping atomic.Bool   // no timer: a loop that parks must ring
	bell     chan struct{} // rung by the first park while sleeping
}

// ring wakes a sleeping watchdog; called by a loop as it parks in the Go
// poller, after it published that it does (poller.state).
func (w *stallWatch) ring() {
	if w.sleeping.Load() && w.sleeping.CompareAndSwap(true, false) {
		w.bell <- struct{}{} // cap 1, and only the CAS winner sends
	}
}

func (r *Reactor) startStallWatch() {
	every := r.opts.stallEvery
	if every <= 0 {
		every = defaultStallInterval
	}
	w := &stallWatch{stop: make(chan struct{}), done: make(chan struct{}), bell: make(chan struct{}, 1)}
	r.stall = w
	for _, l := range r.loops {
		l.poller.stall = w
	}
	go w.run(r.loops, every)
}

// stopStallWatch ends the watchdog and waits for it, before the loops close
// their epoll fds.
func (r *Reactor) stopStallWatch() {
	if w := r.stall; w != nil {
		close(w.stop)
		<-w.done
	}
}

func (w *stallWatch) run(loops []*loop, every time.Duration) {
	defer close(w.done)
	suspect := make([]uint64, len(loops)) // the park seen at the last look; 0: none
	rescued := make([]uint64, len(loops)) // StallRescues at the last look
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		if !anyParked(loops) {
			t.Stop()
			if !w.sleep(loops) {
				return
			}
			clear(suspect)
			t.Reset(every)
			continue
		}
		for i, l := range loops {
			if n := l.poller.rescued.Load(); n != rescued[i] {
				rescued[i] = n
				l.warnRescued()
			}
			wait, state := l.poller.parkState()
			switch {
			case state != waitPark:
				suspect[i] = 0
			case suspect[i] != wait:
				suspect[i] = wait // first sighting of this park
			default:
				suspect[i] = 0
				l.poller.kick(wait)
			}
		}
	}
}

// anyParked reports whether a loop is parked in the Go poller now.
func anyParked(loops []*loop) bool {
	for _, l := range loops {
		if _, state := l.poller.parkState(); state == waitPark {
			return true
		}
	}
	return false
}

// sleep waits, without a timer, until a loop parks; false when stopped.
// It announces that it sleeps, then looks again, as the loops publish
// that they park, then look at the flag (ring): one of the two sees the
// other.
func (w *stallWatch) sleep(loops []*loop) bool {
	w.sleeping.Store(true)
	if anyParked(loops) && w.sleeping.CompareAndSwap(true, false) {
		return true // a loop parked meanwhile and did not ring
	}
	select {
	case <-w.stop:
		return false
	case <-w.bell:
		return true
	}
}

// warnRescued logs that the loop slept through ready events.
func (l *loop) warnRescued() {
	log := l.r.opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log.LogAttrs(context.Background(), slog.LevelWarn,
		"reactor: a loop parked in the Go poller with events ready; the stall watchdog woke it",
		slog.Int("loop", l.idx), slog.Uint64("rescues", l.poller.rescued.Load()))
}

// The poller's wait states, for the watchdog.
const (
	waitNone  int32 = iota // running
	waitBlock              // blocked in epoll_wait
	waitPark               // parked in the Go runtime poller
)

// parkState reports the number of the poller's latest blocking wait and
// how the loop waits now.
func (p *poller) parkState() (wait uint64, state int32) {
	return p.waits.Load(), p.state.Load()
}

// kick ends park number wait in the Go runtime poller: an expired read
// deadline wakes the parked goroutine whether or not an event came.
func (p *poller) kick(wait uint64) {
	p.kicked.Store(wait)
	_ = p.file.SetReadDeadline(time.Unix(1, 0))
}

// stallRescues is LoopStats.StallRescues.
func (p *poller) stallRescues() uint64 { return p.rescued.Load() }
