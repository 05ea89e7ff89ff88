package fdref

import "sync/atomic"

// closing marks a Ref whose descriptor is being closed; the bits below it
// count the references held.
const closing = uint64(1) << 63

// Ref is the reference count of one descriptor. The zero value is open
// with no reference held. A Ref must not be copied after first use.
type Ref struct{ v atomic.Uint64 }

// Acquire takes a reference; it reports false, taking none, once closing
// has begun.
func (r *Ref) Acquire() bool {
	for {
		v := r.v.Load()
		if v&closing != 0 {
			return false
		}
		if r.v.CompareAndSwap(v, v+1) {
			return true
		}
	}
}

// Release drops a reference taken by Acquire and reports whether the
// caller must now close the descriptor: closing has begun and this was
// the last reference.
func (r *Ref) Release() bool { return r.v.Add(^uint64(0)) == closing }

// MarkClosing begins closing and reports whether the caller must close the
// descriptor now: no reference is held. It reports false when references
// are held (the last Release then reports true) and when closing had begun
// already.
func (r *Ref) MarkClosing() bool {
	for {
		v := r.v.Load()
		if v&closing != 0 {
			return false
		}
		if r.v.CompareAndSwap(v, v|closing) {
			return v == 0
		}
	}
}
