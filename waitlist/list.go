package waitlist

import (
	"sync"
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/ilist"
)

// List is a set of sources to wait on together. It is the Go form of
// usocket's wait-list (MAKE-WAIT-LIST, ADD-WAITER, REMOVE-WAITER,
// REMOVE-ALL-WAITERS).
//
// A List subscribes to a source's [Signal] when the source is added and
// unsubscribes when it is removed, so a wait costs O(ready sources), not
// O(all sources). A source may be in any number of Lists at once (unlike
// usocket, where a socket belongs to one wait-list). Because the source's
// Signal refers to the List while the source is a member, call
// [List.RemoveAll] when a List is no longer needed.
//
// The zero List is an empty list ready to use; a List must not be copied
// after first use. All methods are safe for concurrent use. Sources added during a
// [List.Wait] are considered by it; a source removed before the wait
// collects its result is not reported. Several goroutines may Wait on the
// same List at once: each returns when a source is ready, and all of them
// may report the same ready source.
type List struct {
	// pending is a lock-free stack of members notified since the last look,
	// pushed by producers and taken whole by waiters.
	pending atomic.Pointer[member]
	// wake holds a token when a waiter should look again.
	wake chan struct{}

	mu      sync.Mutex
	byKey   map[Source]*member
	members ilist.List[member, *member] // insertion order
	seq     uint64                      // next member's seq
	ready   []*member                   // suspected or confirmed ready members
	waiters int                         // goroutines blocked in a wait
}

// New returns a List holding srcs, in order; duplicates are dropped. It is
// the Go form of usocket's MAKE-WAIT-LIST. If any source is nil or has a
// nil Signal, New adds none of them and returns an [*Error] matching
// [ErrNilSource].
func New(srcs ...Source) (*List, error) {
	for _, s := range srcs {
		if !valid(s) {
			return nil, &Error{Op: "new", Err: ErrNilSource}
		}
	}
	l := new(List)
	for _, s := range srcs {
		_, _ = l.Add(s) // cannot fail: validated above
	}
	return l, nil
}

// valid reports whether src can be added.
func valid(src Source) bool {
	return src != nil && src.WaitSignal() != nil
}

// Add adds src to the list and reports whether it was added (false if it
// was already a member). It is the Go form of usocket's ADD-WAITER. A
// source that is already ready is reported by the next wait. A nil source,
// or one with a nil Signal, gives an [*Error] matching [ErrNilSource].
func (l *List) Add(src Source) (bool, error) {
	if !valid(src) {
		return false, &Error{Op: "add", Err: ErrNilSource}
	}
	l.mu.Lock()
	l.initLocked()
	if _, ok := l.byKey[src]; ok {
		l.mu.Unlock()
		return false, nil
	}
	m := &member{list: l, src: src, sig: src.WaitSignal(), seq: l.seq}
	l.seq++
	l.byKey[src] = m
	l.members.PushBack(m)
	l.mu.Unlock()

	// Subscribe first, then queue the member once as if notified: readiness
	// from before the subscription is found by the waiter's Ready check,
	// readiness after it by Notify.
	m.sig.subscribe(m)
	m.notify()
	return true, nil
}

// Remove removes src from the list and reports whether it was a member. It
// is the Go form of usocket's REMOVE-WAITER.
func (l *List) Remove(src Source) bool {
	l.mu.Lock()
	m, ok := l.byKey[src]
	if ok {
		l.unlinkLocked(m)
	}
	l.mu.Unlock()
	if ok {
		m.sig.unsubscribe(m)
	}
	return ok
}

// RemoveAll removes every source from the list; the List stays usable. It
// is the Go form of usocket's REMOVE-ALL-WAITERS, without its stale-state
// bug: the sources keep no reference to the List afterwards.
func (l *List) RemoveAll() {
	l.mu.Lock()
	var gone []*member
	for m := l.members.Front(); m != nil; m = l.members.Next(m) {
		gone = append(gone, m)
	}
	for _, m := range gone {
		l.unlinkLocked(m)
	}
	l.mu.Unlock()
	for _, m := range gone {
		m.sig.unsubscribe(m)
	}
}

// unlinkLocked drops m from the member structures. A copy of m may still
// sit on pending or ready; both skip removed members.
func (l *List) unlinkLocked(m *member) {
	m.removed = true
	delete(l.byKey, m.src)
	l.members.Remove(m)
}

// Len returns the number of sources in the list.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.byKey)
}

// Sources returns the sources in the list, in insertion order, as a fresh
// slice.
func (l *List) Sources() []Source {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Source, 0, len(l.byKey))
	for m := l.members.Front(); m != nil; m = l.members.Next(m) {
		out = append(out, m.src)
	}
	return out
}

// initLocked makes the zero List usable. The wake channel exists before any
// member is subscribed or any waiter blocks, both of which follow a locked
// section that ran initLocked.
func (l *List) initLocked() {
	if l.byKey == nil {
		l.byKey = make(map[Source]*member)
		l.wake = make(chan struct{}, 1)
	}
}

// wakeOne leaves a wake token for a waiter, without blocking.
func (l *List) wakeOne() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}
