package reactor

import "github.com/usocket-go/usocket/internal/connlayer"

// The hook for connection layers (reactor/reactortls): see
// internal/connlayer. A Conn with no layer pays one nil check per Write,
// CloseWrite, Close and ResumeRead.

func init() {
	connlayer.Get = func(c any) connlayer.Layer { return c.(*Conn).layer }
	connlayer.Write = func(c any, b []byte) (int, error) { return c.(*Conn).write(b) }
	connlayer.Request = func(c any, kind int) error {
		if kind == connlayer.CloseWrite {
			return c.(*Conn).rawRequest(reqCloseWrite)
		}
		return c.(*Conn).rawRequest(reqClose)
	}
	connlayer.Hold = func(c any) bool { return c.(*Conn).hold() }
	connlayer.WriteErr = func(c any) error { return c.(*Conn).writeErr() }
	connlayer.Report = func(c any, err error) {
		cc := c.(*Conn)
		cc.loop.r.reportFrom(cc.loop, cc.remote, err)
	}
}

// hold reports whether reading should stop: PauseRead, Close or Abort.
func (c *Conn) hold() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wantPause || c.closed
}

// writeErr is what a Write would fail with now, or nil.
func (c *Conn) writeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wclosed {
		return c.writeClosedErr()
	}
	return nil
}
