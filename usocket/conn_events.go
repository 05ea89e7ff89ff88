package usocket

import "github.com/usocket-go/usocket/reactor"

// connEvents is the event-loop side of a Conn, its reactor.FDHandler. The
// methods run on the loop goroutine, only hand out tokens and never block.
type connEvents conn

var _ reactor.FDHandler = (*connEvents)(nil)

// OnReadable wakes a parked Read and the waitlists holding the Conn.
func (e *connEvents) OnReadable(*reactor.Watcher) {
	e.rd.Notify()
	e.sig.Notify()
}

// OnWritable wakes a Write waiting for room.
func (e *connEvents) OnWritable(*reactor.Watcher) { e.wr.Notify() }

// OnClose: the descriptor is unregistered, because Close released it or
// because the reactor stopped. In the second case no further I/O starts,
// blocked calls return net.ErrClosed, and the last one out closes the
// descriptor.
func (e *connEvents) OnClose(*reactor.Watcher, error) {
	c := (*conn)(e)
	c.finish()
	c.fd.StartClose()
}
