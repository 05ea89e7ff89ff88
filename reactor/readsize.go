package reactor

// queuedReadMin is the least a connection reads at once, however close
// its queued output is to the write high-water mark.
const queuedReadMin = 16 << 10

// readBuf is the buffer the connection's next read fills: the loop's
// buffer (ReadBufferSize), cut to the room left below the write high-water
// mark by the output the connection has queued, but at least queuedReadMin.
// Reading is what makes a handler write, so one read cannot carry the queue
// far past the mark: a handler that pauses there (handler.Echo) holds at
// most about WriteHighWater+queuedReadMin. While the reactor is over its
// memory limit, budgetReadBuf decides; nil means do not read now.
func (c *Conn) readBuf() []byte {
	if c.loop.r.budget.over() {
		return c.budgetReadBuf()
	}
	buf := c.loop.buf
	n := max(int64(c.loop.r.opts.WriteHighWater)-c.queued.Load(), queuedReadMin)
	if n < int64(len(buf)) {
		buf = buf[:n]
	}
	return buf
}
