package waitlist

import (
	"slices"
	"sync"
	"sync/atomic"
	"weak"
)

// Signal is a readiness notifier held by a socket (usually as a field; see
// [Source]). The zero value is ready to use. A Signal must not be copied
// after first use.
//
// The socket's producers (event-loop goroutines) call [Signal.Notify];
// Lists subscribe to it while the socket is one of their members.
//
// The Signal holds its subscribers weakly: an event loop that keeps the
// socket's Signal reachable does not keep the Lists holding the socket, nor
// through them the socket itself, alive, so a socket dropped with its
// List can still be collected (and closed by its cleanup).
type Signal struct {
	mu       sync.Mutex                             // serialises subscribe and unsubscribe
	subs     atomic.Pointer[[]weak.Pointer[member]] // copy-on-write list of subscribers
	observer func(on bool)                          // told of the first subscriber and the last one leaving
}

// SetObserver makes s call f(true) when it gains its first subscriber and
// f(false) when its last one leaves, with subscriptions serialised around
// the calls. A socket whose event loop may be lent to blocked calls uses it
// to keep its edges reported at once while a List holds it
// (reactor.Watcher.SetObserved). Set it before the socket is shared; f
// must not block. A List dropped without removing its members keeps the
// Signal observed until the socket closes.
func (s *Signal) SetObserver(f func(on bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer = f
	if f != nil && s.subscribers() > 0 {
		f(true)
	}
}

// Notify tells every List holding the socket that it may have become
// ready. It never blocks and does not allocate: for each subscribed List it
// does one atomic flag test and, the first time since that List last looked,
// a lock-free push and a non-blocking channel send. Its cost is O(number of
// Lists holding the socket), normally one. Notify is safe for concurrent
// use and is a no-op on a nil Signal or one with no subscribers.
func (s *Signal) Notify() {
	if s == nil {
		return
	}
	p := s.subs.Load()
	if p == nil {
		return
	}
	for _, w := range *p {
		if m := w.Value(); m != nil { // nil: its List was collected
			m.notify()
		}
	}
}

// subscribe adds m to the subscribers.
func (s *Signal) subscribe(m *member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next []weak.Pointer[member]
	if p := s.subs.Load(); p != nil {
		for _, w := range *p {
			if w.Value() != nil { // drop members of collected Lists
				next = append(next, w)
			}
		}
	}
	next = slices.Clip(append(next, weak.Make(m)))
	first := s.subscribers() == 0
	s.subs.Store(&next)
	if first && s.observer != nil {
		s.observer(true)
	}
}

// unsubscribe removes m from the subscribers, if present.
func (s *Signal) unsubscribe(m *member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.subs.Load()
	if p == nil {
		return
	}
	i := slices.Index(*p, weak.Make(m))
	if i < 0 {
		return
	}
	if len(*p) == 1 {
		s.subs.Store(nil)
		if s.observer != nil {
			s.observer(false)
		}
		return
	}
	next := slices.Delete(slices.Clone(*p), i, i+1)
	s.subs.Store(&next)
}

// subscribers returns the number of subscribers (for tests).
func (s *Signal) subscribers() int {
	if p := s.subs.Load(); p != nil {
		return len(*p)
	}
	return 0
}
