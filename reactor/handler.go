package reactor

// Handler receives a connection's events. Every method runs on the
// connection's event-loop goroutine, one at a time per connection, and must
// not block: queue work elsewhere if it is slow. A panic in any method is
// recovered, reported to the error hook, and closes that connection only.
//
// The life of a connection is:
//
//	OnOpen → OnData* → [OnEOF → OnData? ...] → OnClose
//
// OnClose is always the last call and comes exactly once, whatever the cause.
type Handler interface {
	// OnOpen is called once the connection is registered with its loop.
	OnOpen(c *Conn)
	// OnData is called with bytes read from the peer. data is valid only
	// until OnData returns: copy what must outlive the call.
	OnData(c *Conn, data []byte)
	// OnEOF is called when the peer has shut down its write side (FIN).
	// The connection stays writable; call Close, or CloseWrite, when done.
	OnEOF(c *Conn)
	// OnClose is called once the connection's file descriptor is closed.
	// err is nil for a local Close or Abort, the read/write error (wrapping
	// the errno) for a failure, or ErrLingerTimeout, ErrIdleTimeout,
	// ErrClosed (reactor stopped) or a *PanicError. The errno is always the
	// one the kernel reported: a hang-up (EPOLLHUP) with no error pending on
	// the socket is not a failure, and shows as the peer's EOF (OnEOF) when
	// the connection reads.
	OnClose(c *Conn, err error)
}

// WriteNotifier is an optional interface for a Handler that wants to know
// when a connection's outbound queue crosses the high-water mark
// (OnWriteBlocked) and later drains below the low-water mark
// (OnWriteDrained). Both run on the loop.
//
// OnWriteDrained comes only after an OnWriteBlocked. A producer that writes
// in rounds (stream a file, say) therefore writes while Buffered is below
// the high-water mark, stops when OnWriteBlocked comes, and goes on in
// OnWriteDrained; if its last Write never crossed the mark, it simply goes
// on writing.
type WriteNotifier interface {
	OnWriteBlocked(c *Conn)
	OnWriteDrained(c *Conn)
}

// BaseHandler implements Handler with defaults; embed it and override what
// you need. It discards data and closes the connection on the peer's EOF.
type BaseHandler struct{}

// OnOpen does nothing.
func (BaseHandler) OnOpen(*Conn) {}

// OnData discards the data.
func (BaseHandler) OnData(*Conn, []byte) {}

// OnEOF closes the connection gracefully (queued output is flushed first).
func (BaseHandler) OnEOF(c *Conn) { _ = c.Close() }

// OnClose does nothing.
func (BaseHandler) OnClose(*Conn, error) {}

var _ Handler = BaseHandler{}
