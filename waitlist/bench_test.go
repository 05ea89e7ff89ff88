package waitlist

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

// benchSource is a Source with a lock-free Ready, so benchmarks measure the
// package, not the fake's locking.
type benchSource struct {
	sig   Signal
	ready atomic.Bool
}

func (s *benchSource) Ready() bool         { return s.ready.Load() }
func (s *benchSource) WaitSignal() *Signal { return &s.sig }

var benchSizes = []int{10, 100, 1000, 10000}

func benchSources(n int) ([]*benchSource, []Source) {
	bs := make([]*benchSource, n)
	ss := make([]Source, n)
	for i := range bs {
		bs[i] = new(benchSource)
		ss[i] = bs[i]
	}
	return bs, ss
}

// BenchmarkWait: per iteration one source among N becomes ready and
// notifies, a List.Wait reports it, and it is consumed.
func BenchmarkWait(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bs, ss := benchSources(n)
			l, err := New(ss...)
			if err != nil {
				b.Fatal(err)
			}
			defer l.RemoveAll()
			ctx := context.Background()
			_, _ = l.Wait(ctx, 0) // absorb the one-time check of the added sources
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s := bs[(i*7919)%n]
				s.ready.Store(true)
				s.sig.Notify()
				got, err := l.Wait(ctx, 0)
				if err != nil || len(got) != 1 || got[0] != Source(s) {
					b.Fatalf("Wait = %v, %v", got, err)
				}
				s.ready.Store(false)
			}
		})
	}
}

// BenchmarkPollAll is the O(N) baseline: the same work, found by calling
// Ready on every source.
func BenchmarkPollAll(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bs, ss := benchSources(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s := bs[(i*7919)%n]
				s.ready.Store(true)
				var got []Source
				for _, src := range ss {
					if src.Ready() {
						got = append(got, src)
					}
				}
				if len(got) != 1 || got[0] != Source(s) {
					b.Fatalf("poll = %v", got)
				}
				s.ready.Store(false)
			}
		})
	}
}

// BenchmarkWaitOneShot is the package-level Wait, which subscribes to and
// checks all N sources on every call.
func BenchmarkWaitOneShot(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bs, ss := benchSources(n)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s := bs[(i*7919)%n]
				s.ready.Store(true)
				got, err := Wait(ctx, 0, ss...)
				if err != nil || len(got) != 1 {
					b.Fatalf("Wait = %v, %v", got, err)
				}
				s.ready.Store(false)
			}
		})
	}
}

// BenchmarkNotify is the producer's cost with one subscribed List and the
// source already queued (the steady state between two waits).
func BenchmarkNotify(b *testing.B) {
	s := new(benchSource)
	l, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	defer l.RemoveAll()
	b.ReportAllocs()
	for b.Loop() {
		s.sig.Notify()
	}
}
