package reactortls

import (
	"crypto/tls"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// Defaults for a zero Config field.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxHandshakes    = 256
)

// Config configures Server and Client.
type Config struct {
	// TLS is crypto/tls's configuration, used as tls.Server and tls.Client
	// use it (certificates, ALPN, versions, session resumption...); it is
	// required, and must not be changed once in use. A client's needs
	// ServerName (or InsecureSkipVerify).
	TLS *tls.Config
	// HandshakeTimeout bounds each handshake, from the connection's OnOpen
	// (so time spent waiting for a handshake slot counts); 0 means
	// DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// MaxHandshakes bounds the handshakes in progress at once for the
	// handler Server or Client returned: each one has a goroutine (crypto/tls's
	// handshake blocks) and about 64 KiB of input buffered at most. A connection beyond the bound waits, not read and with no
	// goroutine, until a slot frees or its handshake timeout ends it. 0
	// means DefaultMaxHandshakes.
	MaxHandshakes int
}

// settings is a checked Config.
type settings struct {
	tls     *tls.Config
	timeout time.Duration
	lim     *limiter
	client  bool
}

func newSettings(h reactor.Handler, c *Config, client bool) (*settings, error) {
	if h == nil {
		return nil, reactor.ErrNilHandler
	}
	if c == nil || c.TLS == nil {
		return nil, &ConfigError{Field: "TLS", Value: nil, Why: "a tls.Config is required"}
	}
	if c.HandshakeTimeout < 0 {
		return nil, &ConfigError{Field: "HandshakeTimeout", Value: c.HandshakeTimeout, Why: "negative"}
	}
	if c.MaxHandshakes < 0 {
		return nil, &ConfigError{Field: "MaxHandshakes", Value: c.MaxHandshakes, Why: "negative"}
	}
	s := &settings{tls: c.TLS, timeout: c.HandshakeTimeout, client: client}
	if s.timeout == 0 {
		s.timeout = DefaultHandshakeTimeout
	}
	n := c.MaxHandshakes
	if n == 0 {
		n = DefaultMaxHandshakes
	}
	s.lim = &limiter{free: n}
	return s, nil
}

// Server wraps h so that its connections speak TLS as the server side:
// listen with the returned handler (reactor.Listen, or handler.Serve with
// ServeOptions.TLS). h's OnOpen comes once the handshake is done; a failed
// handshake is reported to the reactor's error hook as a *HandshakeError,
// and h hears nothing of that connection. See the package doc for what
// each Conn method means on a TLS connection.
func Server(h reactor.Handler, c *Config) (reactor.Handler, error) {
	s, err := newSettings(h, c, false)
	if err != nil {
		return nil, err
	}
	return wrap(h, s), nil
}

// Client wraps h so that its connections speak TLS as the client side:
// dial with the returned handler (reactor.Dial or Attach). h's OnOpen comes
// once the handshake is done; a failed handshake closes the connection
// with OnClose(c, *HandshakeError) and no OnOpen. Write before OnOpen
// fails with ErrHandshaking.
func Client(h reactor.Handler, c *Config) (reactor.Handler, error) {
	s, err := newSettings(h, c, true)
	if err != nil {
		return nil, err
	}
	return wrap(h, s), nil
}
