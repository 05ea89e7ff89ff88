package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/waitlist"
)

// waitSource is an in-memory waitlist.Source with a lock-free Ready, so the
// scenario measures the waitlist package rather than socket I/O.
type waitSource struct {
	sig   waitlist.Signal
	ready atomic.Bool
}

func (s *waitSource) Ready() bool                  { return s.ready.Load() }
func (s *waitSource) WaitSignal() *waitlist.Signal { return &s.sig }

// ErrWrongResult reports an in-process scenario whose operation returned
// something other than the known answer.
var ErrWrongResult = errors.New("bench: wrong result")

// waitBatch is how many waits run between two clock reads.
const waitBatch = 256

// WaitlistScaling measures the cost of waiting for input among l.Conns
// sources of which one is ready, in this process (no server, no sockets).
// Value is the ns per waitlist.List.Wait that reports the one source that
// became ready and notified; Reference is the ns per scan of the baseline
// that calls Ready on every source, as a select/poll-style wait does. Each
// loop runs for half of l.Duration. Count is the number of List.Wait calls.
func WaitlistScaling(ctx context.Context, l Load) (Result, error) {
	l.Addr = "in-process"
	if err := l.check(0); err != nil {
		return Result{}, err
	}
	srcs := make([]*waitSource, l.Conns)
	all := make([]waitlist.Source, l.Conns)
	for i := range srcs {
		srcs[i] = new(waitSource)
		all[i] = srcs[i]
	}
	list, err := waitlist.New(all...)
	if err != nil {
		return Result{}, fmt.Errorf("waitlist: %w", err)
	}
	defer list.RemoveAll()
	if _, err := list.Wait(ctx, 0); err != nil && !isTimeout(err) { // absorb the first check of every source
		return Result{}, fmt.Errorf("waitlist: %w", err)
	}
	half := l.Duration / 2
	waits, waitTime, err := timedLoop(ctx, half, func(i int) error {
		s := srcs[(i*7919)%len(srcs)]
		s.ready.Store(true)
		s.sig.Notify()
		got, err := list.Wait(ctx, 0)
		s.ready.Store(false)
		if err != nil {
			return fmt.Errorf("waitlist: Wait: %w", err)
		}
		if len(got) != 1 || got[0] != waitlist.Source(s) {
			return fmt.Errorf("%w: waitlist Wait reported %d source(s), want the one ready source", ErrWrongResult, len(got))
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	polls, pollTime, err := timedLoop(ctx, half, func(i int) error {
		s := srcs[(i*7919)%len(srcs)]
		s.ready.Store(true)
		found := pollAll(all)
		s.ready.Store(false)
		if found != waitlist.Source(s) {
			return fmt.Errorf("%w: poll did not find the one ready source", ErrWrongResult)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{
		Unit:      UnitNsPerWait,
		Count:     waits,
		Elapsed:   waitTime + pollTime,
		Value:     float64(waitTime.Nanoseconds()) / float64(waits),
		Reference: float64(pollTime.Nanoseconds()) / float64(polls),
	}, nil
}

// pollAll is the O(N) baseline: it asks every source and returns the last
// ready one.
func pollAll(all []waitlist.Source) waitlist.Source {
	var found waitlist.Source
	for _, s := range all {
		if s.Ready() {
			found = s
		}
	}
	return found
}

// timedLoop calls op(0), op(1), ... in batches until d has passed (at least
// one batch) and returns the number of calls and the time they took.
func timedLoop(ctx context.Context, d time.Duration, op func(i int) error) (int64, time.Duration, error) {
	var n int64
	start := time.Now()
	for {
		for range waitBatch {
			if err := op(int(n)); err != nil {
				return n, time.Since(start), err
			}
			n++
		}
		if el := time.Since(start); el >= d {
			return n, el, nil
		}
		if err := ctx.Err(); err != nil {
			return n, time.Since(start), err
		}
	}
}
