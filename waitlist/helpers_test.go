package waitlist

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
)

// testCtx bounds every blocking step of a test.
func testCtx(t *testing.T) context.Context {
	return testkit.Context(t, 20*time.Second)
}

// blocked waits (bounded by ctx) until n goroutines are blocked in a wait on
// l, so a test exercises the wake-up path rather than the first look.
func blocked(ctx context.Context, t *testing.T, l *List, n int) {
	t.Helper()
	for {
		l.mu.Lock()
		w := l.waiters
		l.mu.Unlock()
		if w >= n {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("waiters = %d, want %d before deadline", w, n)
		}
		runtime.Gosched()
	}
}

type result struct {
	ready []Source
	err   error
}

// waitAsync runs l.Wait in a goroutine and returns its result channel.
func waitAsync(ctx context.Context, l *List, timeout time.Duration) <-chan result {
	ch := make(chan result, 1)
	go func() {
		r, err := l.Wait(ctx, timeout)
		ch <- result{r, err}
	}()
	return ch
}

func recv(ctx context.Context, t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		t.Fatal("wait did not return before the test deadline")
		return result{}
	}
}

func wantReady(t *testing.T, got []Source, err error, want ...*fake) {
	t.Helper()
	if err != nil {
		t.Fatalf("Wait error = %v, want nil", err)
	}
	if !slices.Equal(got, sources(want)) {
		t.Fatalf("Wait = %v, want %v", names(got), names(sources(want)))
	}
}

func names(ss []Source) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if f, ok := s.(*fake); ok {
			out[i] = f.name
		} else {
			out[i] = "?"
		}
	}
	return out
}

func mustNew(t *testing.T, srcs ...Source) *List {
	t.Helper()
	l, err := New(srcs...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(l.RemoveAll)
	return l
}
