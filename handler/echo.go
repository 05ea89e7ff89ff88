package handler

import "github.com/usocket-go/usocket/reactor"

// Echo is a reactor handler that writes every byte it reads back to the
// peer. On the peer's EOF it flushes and closes, so a client that half-closes
// still gets its whole echo.
type Echo struct{ reactor.BaseHandler }

// OnData echoes data.
func (Echo) OnData(c *reactor.Conn, data []byte) { _, _ = c.Write(data) }

// Discard is a reactor handler that reads and drops everything.
type Discard struct{ reactor.BaseHandler }

var (
	_ reactor.Handler = Echo{}
	_ reactor.Handler = Discard{}
)
