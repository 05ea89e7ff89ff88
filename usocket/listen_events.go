package usocket

import "github.com/usocket-go/usocket/reactor"

// listenEvents is the event-loop side of a Listener, its
// reactor.FDHandler. The methods run on the loop goroutine and never block.
type listenEvents listener

var _ reactor.FDHandler = (*listenEvents)(nil)

// OnReadable wakes a parked Accept and the waitlists holding the Listener.
func (e *listenEvents) OnReadable(*reactor.Watcher) {
	e.rd.Notify()
	e.sig.Notify()
}

// OnWritable does nothing: a listening socket is never written.
func (e *listenEvents) OnWritable(*reactor.Watcher) {}

// OnClose: the socket is unregistered, because Close asked for it or
// because the reactor stopped; then Accept returns net.ErrClosed and the
// last call out closes the socket.
func (e *listenEvents) OnClose(*reactor.Watcher, error) {
	l := (*listener)(e)
	l.finish()
	l.fd.StartClose()
}
