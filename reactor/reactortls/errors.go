package reactortls

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
)

var (
	// ErrTruncated is the close reason (OnClose) when the peer ended the
	// TCP stream (FIN) without a TLS close_notify first: the data may have
	// been cut short by an attacker, so it is not a clean EOF. It matches
	// io.ErrUnexpectedEOF.
	ErrTruncated = fmt.Errorf("reactortls: connection ended without close_notify (truncated): %w", io.ErrUnexpectedEOF)

	// ErrHandshakeTimeout is the error of a *HandshakeError for a
	// connection whose handshake did not finish within
	// Config.HandshakeTimeout (waiting for a handshake slot included). It
	// matches os.ErrDeadlineExceeded.
	ErrHandshakeTimeout = fmt.Errorf("reactortls: handshake timeout: %w", os.ErrDeadlineExceeded)

	// ErrHandshaking is returned by Write and CloseWrite on a connection
	// whose handshake has not finished: use the connection from OnOpen on.
	ErrHandshaking = errors.New("reactortls: handshake not finished")
)

// HandshakeError is a failed TLS handshake: the server's reactor error
// hook receives it, with the peer's address; a client's handler gets it in
// OnClose. Err is crypto/tls's error (a tls.AlertError, a
// *tls.CertificateVerificationError, a tls.RecordHeaderError for a peer
// that does not speak TLS...), ErrHandshakeTimeout, or the socket's error.
type HandshakeError struct {
	Peer netip.AddrPort // the peer's address; zero for a unix socket
	Err  error
}

// Error describes the failure with the peer's address.
func (e *HandshakeError) Error() string {
	if e.Peer.IsValid() {
		return "reactortls: handshake with " + e.Peer.String() + ": " + e.Err.Error()
	}
	return "reactortls: handshake: " + e.Err.Error()
}

// Unwrap returns Err.
func (e *HandshakeError) Unwrap() error { return e.Err }

// ConfigError reports a bad Config field, or a nil handler or tls.Config.
type ConfigError struct {
	Field string // the Config field ("TLS" for a missing tls.Config)
	Value any    // its value
	Why   string // what is wrong with it
}

// Error names the field and what is wrong with it.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("reactortls: bad %s (%v): %s", e.Field, e.Value, e.Why)
}

// errPeerEOF is what the handshake reads once the peer's FIN came.
var errPeerEOF = io.EOF
