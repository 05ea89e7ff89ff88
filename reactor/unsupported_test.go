package reactor

import (
	"errors"
	"syscall"
	"testing"
)

// TestNewStartsOnEveryBackend: New starts a reactor on every backend,
// Windows' net backend included (it used to refuse there).
func TestNewStartsOnEveryBackend(t *testing.T) {
	r, err := New(WithLoops(1))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// TestRawFDFeaturesOnThisBackend: what needs raw descriptors works on the
// fd backends and, on the net backend, is refused with an
// *UnsupportedError matching errors.ErrUnsupported, never a panic.
func TestRawFDFeaturesOnThisBackend(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	ctx := testContext(t)
	for _, opt := range []ListenOption{WithReusePort(), WithBacklog(16)} {
		ln, err := r.Listen(ctx, "tcp4", "127.0.0.1:0", echo(), opt)
		if netUnsupported(t, err) {
			continue
		}
		if err != nil {
			t.Fatalf("Listen: %v", err)
		}
		_ = ln.Close()
	}
	if _, err := r.Watch(-1, nopFDHandler{}); !netUnsupported(t, err) && !errors.Is(err, syscall.EBADF) {
		t.Fatalf("Watch(-1) = %v, want EBADF", err)
	}
	if _, err := r.WatchEdge(-1, nopFDHandler{}); !netUnsupported(t, err) && !errors.Is(err, syscall.EBADF) {
		t.Fatalf("WatchEdge(-1) = %v, want EBADF", err)
	}
}

// nopFDHandler is an FDHandler that does nothing.
type nopFDHandler struct{}

func (nopFDHandler) OnReadable(*Watcher)     {}
func (nopFDHandler) OnWritable(*Watcher)     {}
func (nopFDHandler) OnClose(*Watcher, error) {}
