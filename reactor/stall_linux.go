//go:build !usocket_portable

package reactor

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sys/unix"
)

// defaultStallInterval is how often the stall watchdog looks at the loops.
const defaultStallInterval = 500 * time.Millisecond

// stallWatch is the reactor's stall watchdog, the Linux backend's defence
// against a lost wake-up (issue 12).
//
// A loop that served a Watcher parks in the Go runtime poller on its own
// epoll fd: nested epoll, whose wake-up depends on the outer (runtime)
// epoll being told of every event that lands on the inner one. Should that
// notice ever be lost, the loop would sleep with events ready until the
// next event came, which on a quiet server may be never. Go's runtime has
// sysmon for the like; we have this: a goroutine per reactor that, every
// interval, looks at each loop. A loop seen parked in the same wait at two
// looks in a row, with its epoll fd readable at both, has missed a wake-up:
// the watchdog wakes it (an expired read deadline on the parked wait, and
// the eventfd), counts it in LoopStats.StallRescues and logs a warning.
//
// The cost on the hot path is one atomic add and two atomic stores per
// blocking wait; the watchdog itself wakes twice a second and makes one
// poll(2) per parked loop.
type stallWatch struct {
	stop chan struct{}
	done chan struct{}
}

func (r *Reactor) startStallWatch() {
	every := r.opts.stallEvery
	if every <= 0 {
		every = defaultStallInterval
	}
	w := &stallWatch{stop: make(chan struct{}), done: make(chan struct{})}
	r.stall = w
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
	suspect := make([]uint64, len(loops)) // the wait seen stuck at the last look; 0: none
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		for i, l := range loops {
			wait, parked := l.poller.parkState()
			if !parked || !l.poller.pending() {
				suspect[i] = 0
				continue
			}
			if suspect[i] != wait {
				suspect[i] = wait // first sighting: it may be waking right now
				continue
			}
			suspect[i] = 0
			l.rescue()
		}
	}
}

// rescue wakes a loop found asleep with events ready.
func (l *loop) rescue() {
	l.stats.stallRescues.Add(1)
	l.poller.kick()
	log := l.r.opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log.LogAttrs(context.Background(), slog.LevelWarn, "reactor: loop slept with events ready; woken by the stall watchdog",
		slog.Int("loop", l.idx))
}

// parkState reports the number of the poller's latest blocking wait and
// whether the loop is in it now.
func (p *poller) parkState() (wait uint64, parked bool) {
	return p.waits.Load(), p.parked.Load()
}

// pending reports whether the epoll fd has events ready, without taking
// them: poll(2) on an epoll fd only looks.
func (p *poller) pending() bool {
	ready := false
	_ = p.raw.Control(func(fd uintptr) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 0)
		ready = err == nil && n > 0 && fds[0].Revents&unix.POLLIN != 0
	})
	return ready
}

// kick ends the loop's wait whichever way it waits: an expired read
// deadline ends a park in the Go runtime poller, a task (its eventfd
// write) ends an epoll_wait.
func (p *poller) kick() {
	_ = p.file.SetReadDeadline(time.Unix(1, 0))
	_ = p.trigger(func(any) error { return nil }, nil)
}
