package usocket

import "github.com/usocket-go/usocket/reactor"

// connEvents is the event-loop side of a Conn, its reactor.FDHandler. The
// methods run on the loop goroutine, only hand out tokens and never block.
type connEvents Conn

var _ reactor.FDHandler = (*connEvents)(nil)

// OnReadable wakes a parked Read and the waitlists holding the Conn.
func (e *connEvents) OnReadable(*reactor.Watcher) {
	c := (*Conn)(e)
	signal(c.rready)
	c.sig.Notify()
}

// OnWritable wakes a Write waiting for room.
func (e *connEvents) OnWritable(*reactor.Watcher) {
	if e.wwaiting.Load() {
		signal(e.wready)
	}
}

// OnClose: the descriptor is unregistered, because Close asked for it or
// because the reactor stopped. In the second case no further I/O starts
// and blocked calls return net.ErrClosed.
func (e *connEvents) OnClose(*reactor.Watcher, error) {
	c := (*Conn)(e)
	c.fd.startClose()
	c.finish()
	c.fd.unregistered()
}

// signal leaves a token in a one-slot channel without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
