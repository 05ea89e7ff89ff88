package waitlist

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// Forever is the timeout that makes a wait block until a source is ready
// or the context is done. (A negative timeout is an error, not "no
// timeout".)
const Forever time.Duration = math.MaxInt64

// Wait blocks until at least one source in the list is ready, and returns
// the ready ones in insertion order, in a fresh slice. It is the Go form of
// usocket's WAIT-FOR-INPUT on a wait-list with :READY-ONLY T.
//
// timeout bounds the wait: 0 polls without blocking, [Forever] waits
// without a time limit, and a negative timeout returns an [*Error] matching
// [ErrNegativeTimeout]. When the timeout passes, or a poll finds nothing,
// Wait returns nil and [ErrTimeout]. When ctx is done first it returns nil
// and ctx.Err(). A non-nil result always has at least one source and a nil
// error.
//
// Every reported source was confirmed with Ready during the call. Readiness
// is level-triggered: a source stays reported by later waits until Ready
// turns false (for example, until its data has been read). The cost of a
// wait is O(sources notified or ready since the last look), not O(Len);
// only the first wait after an Add checks the added sources once.
func (l *List) Wait(ctx context.Context, timeout time.Duration) ([]Source, error) {
	var out []Source
	err := l.wait(ctx, timeout, func() {
		out = make([]Source, len(l.ready))
		for i, m := range l.ready {
			out[i] = m.src
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WaitAll is like [List.Wait] but, once a source is ready, returns the
// state of every source in the list, in insertion order. It is the Go form
// of WAIT-FOR-INPUT without :READY-ONLY followed by SOCKET-STATE on each
// socket. On timeout or cancellation it returns nil and the same errors as
// Wait. It costs O(Len) for the result.
func (l *List) WaitAll(ctx context.Context, timeout time.Duration) ([]Status, error) {
	var out []Status
	err := l.wait(ctx, timeout, func() {
		out = make([]Status, 0, len(l.byKey))
		for m := l.members.Front(); m != nil; m = l.members.Next(m) {
			st := Status{Source: m.src}
			if m.inReady {
				st.State = StateRead
			}
			out = append(out, st)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Wait waits once on srcs, as [List.Wait] does on a List of them, and
// returns the ready ones in argument order (duplicates dropped). It is the
// Go form of usocket's WAIT-FOR-INPUT on a socket or list of sockets with
// :READY-ONLY T. It subscribes to every source and unsubscribes before
// returning, so it costs O(len(srcs)); keep a [List] to wait repeatedly.
//
// With no sources it waits for the timeout or ctx, then returns
// [ErrTimeout] or ctx.Err(), as usocket sleeps; if neither could ever end
// the wait it returns an [*Error] matching [ErrWaitForever] at once.
func Wait(ctx context.Context, timeout time.Duration, srcs ...Source) ([]Source, error) {
	if timeout < 0 {
		return nil, &Error{Op: "wait", Err: ErrNegativeTimeout}
	}
	if len(srcs) == 0 && timeout == Forever && ctx.Done() == nil {
		return nil, &Error{Op: "wait", Err: ErrWaitForever}
	}
	l, err := New(srcs...)
	if err != nil {
		return nil, &Error{Op: "wait", Err: ErrNilSource}
	}
	defer l.RemoveAll()
	return l.Wait(ctx, timeout)
}

// wait is the loop shared by Wait and WaitAll. found runs with l.mu held
// once l.ready holds the confirmed-ready members, sorted.
func (l *List) wait(ctx context.Context, timeout time.Duration, found func()) error {
	if timeout < 0 {
		return &Error{Op: "wait", Err: ErrNegativeTimeout}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var start time.Time
	if timeout != 0 && timeout != Forever {
		start = time.Now()
	}
	var timer *time.Timer
	var expired <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()

	l.mu.Lock()
	l.initLocked()
	for {
		if l.lookLocked() {
			found()
			if l.waiters > 0 {
				l.wakeOne() // pass the wake-up on: they may report it too
			}
			l.mu.Unlock()
			return nil
		}
		if timeout == 0 {
			l.mu.Unlock()
			return ErrTimeout
		}
		if timer == nil && timeout != Forever {
			left := timeout - time.Since(start)
			if left <= 0 {
				l.mu.Unlock()
				return ErrTimeout
			}
			timer = time.NewTimer(left)
			expired = timer.C
		}
		l.waiters++
		l.mu.Unlock()

		var err error
		select {
		case <-l.wake:
		case <-expired:
			err = ErrTimeout
		case <-ctx.Done():
			err = ctx.Err()
		}

		l.mu.Lock()
		l.waiters--
		if err != nil {
			l.mu.Unlock()
			return err
		}
	}
}

// lookLocked moves the notified members onto l.ready, keeps only those
// whose Ready is true (sorted by insertion), and reports whether any is.
// Its cost is O(notified + previously ready).
func (l *List) lookLocked() bool {
	for m := l.pending.Swap(nil); m != nil; {
		next := m.pendNext
		m.pendNext = nil
		// Clear the flag before calling Ready: a Notify from now on queues
		// the member again, so no readiness change is lost.
		m.queued.Store(false)
		if !m.removed && !m.inReady {
			m.inReady = true
			l.ready = append(l.ready, m)
		}
		m = next
	}
	keep := l.ready[:0]
	for _, m := range l.ready {
		if !m.removed && m.src.Ready() {
			keep = append(keep, m)
			continue
		}
		m.inReady = false
	}
	clear(l.ready[len(keep):])
	l.ready = keep
	if len(keep) > 1 {
		slices.SortFunc(keep, func(a, b *member) int { return cmp.Compare(a.seq, b.seq) })
	}
	return len(keep) > 0
}
