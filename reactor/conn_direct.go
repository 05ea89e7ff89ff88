package reactor

// WriteDirect is Write for the connection's own callbacks: when nothing is
// queued it writes b to the socket at once, without copying it, and queues
// (copies) only what the kernel did not take. An echo of a 64 KiB read
// then costs no copy at all. Order and atomicity are as for Write.
//
// It must only be called on the connection's loop: from one of its
// Handler callbacks, a WriteNotifier callback, Execute or AfterFunc. From
// any other goroutine use Write.
//
// On a layered connection (reactortls) it is Write.
func (c *Conn) WriteDirect(b []byte) (int, error) {
	if c.layer != nil {
		return c.layer.Write(b)
	}
	c.mu.Lock()
	closed, queued := c.wclosed, c.out != nil && len(*c.out) > 0 || len(c.pend) > 0
	var err error
	if closed {
		err = c.writeClosedErr()
	}
	c.mu.Unlock()
	switch {
	case closed:
		return 0, err
	case len(b) == 0:
		return 0, nil
	case queued || !c.wq.empty() || c.state&stClosed != 0:
		return c.write(b) // behind what is already queued
	}
	// On an error the rest is queued as usual and the connection closes
	// with the error at its next flush (sendErr): the error itself, since
	// the kernel may not report it again.
	n, err := c.sysWrite(b)
	if n < 0 {
		n = 0
	}
	if writeFailed(err) {
		c.sendErr = wrapSyscall("write", err)
	}
	if n > 0 {
		c.loop.stats.bytesWritten.Add(uint64(n))
		c.touch()
	}
	if n == len(b) {
		return n, nil
	}
	// EAGAIN, a partial write or an error: queue the rest.
	if _, err := c.write(b[n:]); err != nil {
		return n, err
	}
	return len(b), nil
}
