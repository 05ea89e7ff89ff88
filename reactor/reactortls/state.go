package reactortls

import (
	"crypto/tls"

	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/reactor"
)

// ConnectionState returns the TLS state of c (version, cipher suite,
// negotiated ALPN protocol, peer certificates...), and false if c is not
// a TLS connection or its handshake has not finished. Safe from any
// goroutine.
func ConnectionState(c *reactor.Conn) (tls.ConnectionState, bool) {
	t, ok := connlayer.Get(c).(*tlsConn)
	if !ok || !t.open.Load() {
		return tls.ConnectionState{}, false
	}
	return t.tc.ConnectionState(), true
}
