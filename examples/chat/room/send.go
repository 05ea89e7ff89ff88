package room

import "github.com/usocket-go/usocket/reactor"

// sendLocked is the one way the room writes to a client: it queues msg
// unless that would take c's outbound queue past MaxQueue; then c is too
// slow, so it is disconnected (Abort drops its queue) and the others are
// told. It reports whether msg was queued. r.mu is held.
func (r *Room) sendLocked(c *reactor.Conn, msg string) bool {
	if !r.fits(c, msg) {
		r.evictLocked(c)
		return false
	}
	_, err := c.Write([]byte(msg))
	r.notePeak(c)
	return err == nil
}

// PeakQueued returns the largest outbound queue, in bytes, the room has
// left behind it on any client (reactor.Conn.Buffered after its writes):
// what the room's bounds hold under MaxQueue.
func (r *Room) PeakQueued() int { return int(r.peak.Load()) }

func (r *Room) notePeak(c *reactor.Conn) {
	n := int64(c.Buffered())
	for p := r.peak.Load(); n > p && !r.peak.CompareAndSwap(p, n); p = r.peak.Load() {
	}
}

// fits reports whether msg may be queued for c.
func (r *Room) fits(c *reactor.Conn, msg string) bool {
	return c.Buffered()+len(msg) <= r.maxQueue()
}

// broadcastLocked queues msg for every member except from, through the
// bounded path. Members too slow for it are disconnected after the round,
// and the others told (which may in turn find more slow members). r.mu is
// held.
func (r *Room) broadcastLocked(from *reactor.Conn, msg string) {
	var slow []*reactor.Conn
	b := []byte(msg)
	for c := range r.members {
		switch {
		case c == from:
		case !r.fits(c, msg):
			slow = append(slow, c)
		default:
			_, _ = c.Write(b)
			r.notePeak(c)
		}
	}
	for _, c := range slow {
		r.evictLocked(c)
	}
}

// evictLocked disconnects a client too slow to take what the room sends.
func (r *Room) evictLocked(c *reactor.Conn) {
	_ = c.Abort()
	r.leaveLocked(c, "was disconnected (too slow)")
}
