// Package connlayer is the seam between package reactor and a layer that
// transforms a connection's bytes (reactor/reactortls's TLS). It keeps the
// hook out of reactor's public API: reactor fills in the functions below
// at init, and a layer package calls them with a *reactor.Conn (typed as
// any here, since internal packages cannot import reactor).
//
// A handler that implements Factory gets a Layer made for each of its
// connections before the connection is published to anyone, and every
// Write, WriteDirect, CloseWrite and Close on that connection goes to the
// Layer instead of the socket; ResumeRead tells the Layer too. Inbound
// bytes and the peer's EOF reach the layer as ordinary Handler callbacks.
package connlayer

// Layer sits between a connection's application calls and its socket.
type Layer interface {
	// Write replaces Conn.Write (and WriteDirect); any goroutine.
	Write(b []byte) (int, error)
	// CloseWrite replaces Conn.CloseWrite; any goroutine.
	CloseWrite() error
	// Close replaces Conn.Close (Abort is not layered); any goroutine.
	Close() error
	// Resumed is told that ResumeRead was called; any goroutine.
	Resumed()
}

// Factory is implemented by a handler whose connections are layered.
type Factory interface {
	// NewLayer makes the layer of c, a *reactor.Conn that no one else has
	// seen yet.
	NewLayer(c any) Layer
}

// Request kinds for Request.
const (
	CloseWrite = iota + 1
	Close
)

// Set by package reactor at init; c is always a *reactor.Conn.
var (
	// Get returns c's layer, or nil.
	Get func(c any) Layer
	// Write queues b on c's socket, bypassing the layer.
	Write func(c any, b []byte) (int, error)
	// Request asks c's socket for CloseWrite or Close, bypassing the layer.
	Request func(c any, kind int) error
	// Hold reports whether the application asked c to pause reading, or
	// Close or Abort was called: deliver no more inbound data for now.
	Hold func(c any) bool
	// WriteErr is the error a Write on c's socket would fail with now
	// (write side closed, connection closed), or nil.
	WriteErr func(c any) error
	// Report hands err to c's reactor's error hook, tagged with c's peer.
	Report func(c any, err error)
)
