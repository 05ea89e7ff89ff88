package reactor

import "sync/atomic"

// fdRef keeps a descriptor open while goroutines other than its loop use
// it (Conn.Control, LocalAddrPort), without a lock held across their
// syscalls: each use holds a reference, and closing only marks the count;
// whoever drops the last reference closes the descriptor. The loop never
// waits for a user's syscall.
type fdRef struct{ v atomic.Int64 }

const fdClosing = int64(1) << 62

// acquire takes a reference; false once closing has begun.
func (r *fdRef) acquire() bool {
	for {
		v := r.v.Load()
		if v&fdClosing != 0 {
			return false
		}
		if r.v.CompareAndSwap(v, v+1) {
			return true
		}
	}
}

// release drops a reference and reports whether the caller must now close
// the descriptor (closing began and this was the last reference).
func (r *fdRef) release() bool { return r.v.Add(-1) == fdClosing }

// markClosing begins closing and reports whether the caller must close the
// descriptor now (no reference is held).
func (r *fdRef) markClosing() bool {
	for {
		v := r.v.Load()
		if v&fdClosing != 0 {
			return false
		}
		if r.v.CompareAndSwap(v, v|fdClosing) {
			return v == 0
		}
	}
}
