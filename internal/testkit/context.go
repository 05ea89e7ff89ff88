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
