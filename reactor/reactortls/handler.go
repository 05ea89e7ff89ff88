package reactortls

import (
	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/reactor"
)

// tlsHandler is the handler the reactor sees: it gets the ciphertext and
// the socket's events, and passes plaintext and TLS events to h.
type tlsHandler struct {
	h reactor.Handler
	s *settings
}

// notifyHandler is a tlsHandler whose h is a reactor.WriteNotifier.
type notifyHandler struct {
	tlsHandler
	wn reactor.WriteNotifier
}

func wrap(h reactor.Handler, s *settings) reactor.Handler {
	th := tlsHandler{h: h, s: s}
	if wn, ok := h.(reactor.WriteNotifier); ok {
		return &notifyHandler{tlsHandler: th, wn: wn}
	}
	return &th
}

// NewLayer implements connlayer.Factory: the reactor calls it for each new
// connection.
func (th *tlsHandler) NewLayer(c any) connlayer.Layer {
	return newTLSConn(c.(*reactor.Conn), th.s, th.h)
}

func layerOf(c *reactor.Conn) *tlsConn { return connlayer.Get(c).(*tlsConn) }

func (th *tlsHandler) OnOpen(c *reactor.Conn) { layerOf(c).opened() }

func (th *tlsHandler) OnData(c *reactor.Conn, data []byte) {
	t := layerOf(c)
	switch t.phase {
	case phaseOpen:
		t.pump(data)
	case phaseWaiting, phaseHandshake:
		if t.tr.feed(data) {
			_ = c.PauseRead()
		}
	}
}

func (th *tlsHandler) OnEOF(c *reactor.Conn) {
	t := layerOf(c)
	t.peerFIN = true
	switch t.phase {
	case phaseOpen:
		t.pump(nil) // delivers what is left, then reports a truncation
	case phaseWaiting, phaseHandshake:
		t.tr.fail(errPeerEOF, false)
	}
}

func (th *tlsHandler) OnClose(c *reactor.Conn, err error) { layerOf(c).closed(err) }

func (nh *notifyHandler) OnWriteBlocked(c *reactor.Conn) {
	t := layerOf(c)
	if t.phase == phaseOpen {
		t.blocked = true
		nh.wn.OnWriteBlocked(c)
	}
}

func (nh *notifyHandler) OnWriteDrained(c *reactor.Conn) {
	t := layerOf(c)
	if t.blocked {
		t.blocked = false
		nh.wn.OnWriteDrained(c)
	}
}
