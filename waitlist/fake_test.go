package waitlist

import (
	"sync"
)

// fake is a Source for tests: it is ready while it holds data or is closed.
type fake struct {
	name   string
	sig    Signal
	mu     sync.Mutex
	items  int
	closed bool
}

func newFakes(n int) []*fake {
	fs := make([]*fake, n)
	for i := range fs {
		fs[i] = &fake{name: string(rune('a' + i%26))}
	}
	return fs
}

func sources(fs []*fake) []Source {
	out := make([]Source, len(fs))
	for i, f := range fs {
		out[i] = f
	}
	return out
}

func (f *fake) Ready() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.items > 0 || f.closed
}

func (f *fake) WaitSignal() *Signal { return &f.sig }

// put buffers one item and notifies, as an event loop would.
func (f *fake) put() {
	f.mu.Lock()
	f.items++
	f.mu.Unlock()
	f.sig.Notify()
}

// take consumes every buffered item and returns how many there were.
func (f *fake) take() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.items
	f.items = 0
	return n
}

func (f *fake) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.sig.Notify()
}

// nilSignal is a Source with no Signal.
type nilSignal struct{}

func (nilSignal) Ready() bool         { return false }
func (nilSignal) WaitSignal() *Signal { return nil }
