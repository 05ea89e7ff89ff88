package reactor

import (
	"errors"
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/unix"
)

// Stats is a snapshot of a reactor's counters: one LoopStats per loop and
// their sum. Counters only grow; gauges (Open, Queued, Paused) are values
// at the time of the snapshot. Loops are read one after the other, so the
// snapshot is not atomic across loops.
type Stats struct {
	Total LoopStats
	Loops []LoopStats
}

// LoopStats counts what one loop (or, in Stats.Total, all of them) did.
type LoopStats struct {
	Open     int64 // connections open now
	Accepted uint64
	Dialed   uint64 // connections made by Dial or Attach
	Closed   CloseCounts

	BytesRead    uint64
	BytesWritten uint64
	Queued       int64 // outbound bytes the loop has taken into its queues and not yet sent
	Paused       int64 // connections whose reading is paused now (PauseRead)

	TasksRun       uint64 // tasks queued from other goroutines (Write, Execute, ...) and run
	AcceptErrors   uint64 // failed accepts (EMFILE, ENFILE, ...)
	AcceptBackoffs uint64 // times a listener paused accepting after an error
	Panics         uint64 // panics recovered in callbacks, tasks and timers
	// StallRescues counts the loop's parks in the Go runtime poller that
	// the stall watchdog ended (after 0.5–1 s) and that then found events
	// ready: wake-ups that were lost or late (Linux backend; 0 elsewhere).
	StallRescues uint64
	// Borrows counts the waits of blocked calls that ran the loop
	// themselves, the loop being lent to them (Lendable, PollUntil; Linux
	// backend; 0 elsewhere): wake-ups the loop goroutine did not hand off.
	Borrows uint64
	// Reclaims counts the times the loop goroutine took its lent loop
	// back (for a task, a caller that could not borrow it, or the
	// backstop; Linux backend only). A take-back that finds the borrower
	// saw to all of that already lends the loop again at once.
	Reclaims uint64
	// WakeFailures counts the eventfd writes that failed to wake the loop
	// for a queued task (which still runs: the next task queued wakes the
	// loop again). It should stay 0; see loop.trigger.
	WakeFailures uint64
}

// CloseCounts counts closed connections by cause.
type CloseCounts struct {
	Local   uint64 // Close: flushed, then both sides shut down
	PeerEOF uint64 // the peer shut down first and the connection then closed cleanly
	Reset   uint64 // the peer reset the connection (ECONNRESET, EPIPE)
	Error   uint64 // another socket error
	Idle    uint64 // the idle timeout
	Linger  uint64 // a graceful Close that could not flush within the linger time
	Abort   uint64 // Abort
	Panic   uint64 // a callback panicked
	Stopped uint64 // the reactor stopped
}

// loopStats are a loop's counters. Only the loop goroutine writes most of
// them (no contention on the hot path); atomics let Stats read them from
// anywhere.
type loopStats struct {
	accepted, dialed              atomic.Uint64
	bytesRead, bytesWritten       atomic.Uint64
	queued, paused                atomic.Int64
	acceptErrors, acceptBackoffs  atomic.Uint64
	panics                        atomic.Uint64
	local, peerEOF, reset, errs   atomic.Uint64
	idle, linger, aborts, panicCl atomic.Uint64
	stopped                       atomic.Uint64
	wakeFailures                  atomic.Uint64
}

// Stats returns a snapshot of the reactor's counters. It is cheap: it
// reads atomics and never waits for a loop.
func (r *Reactor) Stats() Stats {
	s := Stats{Loops: make([]LoopStats, len(r.loops))}
	for i, l := range r.loops {
		ls := l.snapshot()
		s.Loops[i] = ls
		s.Total.add(ls)
	}
	return s
}

func (l *loop) snapshot() LoopStats {
	st := &l.stats
	return LoopStats{
		Open:     l.conns.Load(),
		Accepted: st.accepted.Load(),
		Dialed:   st.dialed.Load(),
		Closed: CloseCounts{
			Local: st.local.Load(), PeerEOF: st.peerEOF.Load(), Reset: st.reset.Load(), Error: st.errs.Load(),
			Idle: st.idle.Load(), Linger: st.linger.Load(), Abort: st.aborts.Load(), Panic: st.panicCl.Load(),
			Stopped: st.stopped.Load(),
		},
		BytesRead:      st.bytesRead.Load(),
		BytesWritten:   st.bytesWritten.Load(),
		Queued:         st.queued.Load(),
		Paused:         st.paused.Load(),
		TasksRun:       l.poller.ran.Load(),
		AcceptErrors:   st.acceptErrors.Load(),
		AcceptBackoffs: st.acceptBackoffs.Load(),
		Panics:         st.panics.Load(),
		StallRescues:   l.poller.stallRescues(),
		Borrows:        l.poller.borrows.Load(),
		Reclaims:       l.poller.reclaims.Load(),
		WakeFailures:   st.wakeFailures.Load(),
	}
}

func (t *LoopStats) add(s LoopStats) {
	t.Open += s.Open
	t.Accepted += s.Accepted
	t.Dialed += s.Dialed
	t.Closed.add(s.Closed)
	t.BytesRead += s.BytesRead
	t.BytesWritten += s.BytesWritten
	t.Queued += s.Queued
	t.Paused += s.Paused
	t.TasksRun += s.TasksRun
	t.AcceptErrors += s.AcceptErrors
	t.AcceptBackoffs += s.AcceptBackoffs
	t.Panics += s.Panics
	t.StallRescues += s.StallRescues
	t.Borrows += s.Borrows
	t.Reclaims += s.Reclaims
	t.WakeFailures += s.WakeFailures
}

func (t *CloseCounts) add(s CloseCounts) {
	t.Local += s.Local
	t.PeerEOF += s.PeerEOF
	t.Reset += s.Reset
	t.Error += s.Error
	t.Idle += s.Idle
	t.Linger += s.Linger
	t.Abort += s.Abort
	t.Panic += s.Panic
	t.Stopped += s.Stopped
}

// Sum is the number of connections closed, whatever the cause.
func (t CloseCounts) Sum() uint64 {
	return t.Local + t.PeerEOF + t.Reset + t.Error + t.Idle + t.Linger + t.Abort + t.Panic + t.Stopped
}

// countClose files a connection's close under its cause. aborted says
// Abort was asked; localFirst that this side shut down before the peer.
func (st *loopStats) countClose(reason error, aborted, localFirst bool) {
	var pe *PanicError
	switch {
	case reason == nil && aborted:
		st.aborts.Add(1)
	case reason == nil && localFirst:
		st.local.Add(1)
	case reason == nil:
		st.peerEOF.Add(1)
	case errors.Is(reason, ErrIdleTimeout):
		st.idle.Add(1)
	case errors.Is(reason, ErrLingerTimeout):
		st.linger.Add(1)
	case errors.As(reason, &pe):
		st.panicCl.Add(1)
	case errors.Is(reason, ErrClosed):
		st.stopped.Add(1)
	case errors.Is(reason, unix.ECONNRESET) || errors.Is(reason, unix.EPIPE):
		st.reset.Add(1)
	default:
		st.errs.Add(1)
	}
}
