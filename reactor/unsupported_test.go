package reactor

import (
	"errors"
	"runtime"
	"testing"
)

// TestNewUnsupportedOnWindows pins the Windows contract: New fails with an
// error that errors.Is reports as errors.ErrUnsupported (no panic, no build
// failure); everywhere else it starts a reactor. Built on every OS.
func TestNewUnsupportedOnWindows(t *testing.T) {
	r, err := New(WithLoops(1))
	if runtime.GOOS == "windows" {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("New on windows: got %v, want errors.ErrUnsupported", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
