package waitlist

import (
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/ilist"
)

// member is one source's record in one List. A source in several Lists has
// one member per List, each subscribed to the source's Signal.
type member struct {
	list *List
	src  Source
	sig  *Signal

	// queued is set while the member is on list.pending; it dedups
	// notifications between two looks by a waiter.
	queued atomic.Bool
	// pendNext links list.pending. The pusher owns it until the push is
	// published; then the waiter that swapped the stack owns it until it
	// clears queued.
	pendNext *member

	// Guarded by list.mu.
	seq     uint64              // insertion order
	link    ilist.Links[member] // in list.members
	inReady bool                // on list.ready
	removed bool
}

// ListLinks gives the member's place in its list's insertion order.
func (m *member) ListLinks() *ilist.Links[member] { return &m.link }

// notify is Signal.Notify's per-List step: O(1), lock-free, no allocation.
func (m *member) notify() {
	if m.queued.Load() || !m.queued.CompareAndSwap(false, true) {
		return // already queued for the next look
	}
	l := m.list
	for {
		old := l.pending.Load()
		m.pendNext = old
		if l.pending.CompareAndSwap(old, m) {
			break
		}
	}
	l.wakeOne()
}
