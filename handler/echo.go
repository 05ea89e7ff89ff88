package handler

import "github.com/usocket-go/usocket/reactor"

// Echo is a reactor handler that writes every byte it reads back to the
// peer. On the peer's EOF it flushes and closes, so a client that
// half-closes still gets its whole echo.
//
// It bounds memory per connection: when the outbound queue passes the
// reactor's write high-water mark (a peer that sends but does not read),
// Echo stops reading from that peer until the queue drains, so TCP flow
// control holds the peer back instead of the server buffering without end:
// it holds at most about the high-water mark plus 16 KiB per connection
// (the reactor cuts a read to the room left below the mark).
type Echo struct{ reactor.BaseHandler }

// OnData echoes data.
func (Echo) OnData(c *reactor.Conn, data []byte) { _, _ = c.WriteDirect(data) }

// OnWriteBlocked stops reading while the echo is not being taken.
func (Echo) OnWriteBlocked(c *reactor.Conn) { _ = c.PauseRead() }

// OnWriteDrained resumes reading.
func (Echo) OnWriteDrained(c *reactor.Conn) { _ = c.ResumeRead() }

// Discard is a reactor handler that reads and drops everything, and closes
// the connection on the peer's EOF: a sink for benchmarks and tests (the
// reactor-native counterpart of DiscardStream). Its zero value is ready.
type Discard struct{ reactor.BaseHandler }

var (
	_ reactor.Handler       = Echo{}
	_ reactor.WriteNotifier = Echo{}
	_ reactor.Handler       = Discard{}
)
