package reactor

// Every handler call goes through one of these, so that a panic closes only
// the connection whose callback panicked.

func (c *Conn) recoverPanic() {
	if v := recover(); v != nil {
		err := newPanicError(v)
		c.loop.stats.panics.Add(1)
		c.loop.r.reportFrom(c.loop, c.remote, err)
		c.closeNow(err)
	}
}

func (c *Conn) callOpen() {
	defer c.recoverPanic()
	c.h.OnOpen(c)
}

func (c *Conn) callData(b []byte) {
	defer c.recoverPanic()
	c.h.OnData(c, b)
}

func (c *Conn) callEOF() {
	defer c.recoverPanic()
	c.h.OnEOF(c)
}

func (c *Conn) callFunc(f func()) {
	defer c.recoverPanic()
	f()
}

func (c *Conn) callNotify(blocked bool) {
	defer c.recoverPanic()
	if blocked {
		c.wn.OnWriteBlocked(c)
	} else {
		c.wn.OnWriteDrained(c)
	}
}

// callClose is the last call; a panic in it is only reported.
func (c *Conn) callClose(err error) {
	defer func() {
		if v := recover(); v != nil {
			c.loop.stats.panics.Add(1)
			c.loop.r.reportFrom(c.loop, c.remote, newPanicError(v))
		}
	}()
	c.h.OnClose(c, err)
}
