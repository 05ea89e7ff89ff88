package handles

import "sync"

// Table maps small numbers to *T; freed numbers are reused. Its zero
// value is empty and ready. Safe for concurrent use.
type Table[T any] struct {
	mu    sync.Mutex
	slots []*T
	free  []int
}

// Add gives v the number freed last, or a new one.
func (t *Table[T]) Add(v *T) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := len(t.free); n > 0 {
		h := t.free[n-1]
		t.free = t.free[:n-1]
		t.slots[h] = v
		return h
	}
	t.slots = append(t.slots, v)
	return len(t.slots) - 1
}

// Get returns what h names, or nil if it names nothing.
func (t *Table[T]) Get(h int) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h < 0 || h >= len(t.slots) {
		return nil
	}
	return t.slots[h]
}

// Remove frees h for reuse; a number that names nothing is left alone.
func (t *Table[T]) Remove(h int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h < 0 || h >= len(t.slots) || t.slots[h] == nil {
		return
	}
	t.slots[h] = nil
	t.free = append(t.free, h)
}
