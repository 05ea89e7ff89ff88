package testkit

import (
	"context"
	"testing"
	"time"
)

// Context returns a context that ends after d or when the test ends,
// whichever comes first: the bound for a test's blocking steps.
func Context(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// WaitFor waits until ch is closed (or yields a value), failing the test
// as "timed out waiting for what" after d.
func WaitFor(tb testing.TB, ch <-chan struct{}, what string, d time.Duration) {
	tb.Helper()
	Recv(tb, ch, what, d)
}

// Recv receives a value from ch, failing the test as "timed out waiting
// for what" after d.
func Recv[T any](tb testing.TB, ch <-chan T, what string, d time.Duration) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		tb.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}
