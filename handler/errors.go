package handler

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/udp"
)

var (
	// ErrNilHandler is returned when a server has no handler. It is
	// reactor.ErrNilHandler.
	ErrNilHandler = reactor.ErrNilHandler

	// ErrServerClosed is returned by Shutdown and Close on a service that
	// was already stopped, and by Service.Err for a service stopped by
	// Shutdown or Close.
	ErrServerClosed = errors.New("handler: server closed")

	// ErrReplyTooLarge is reported (inside a *HandlerError) when a datagram
	// handler returns a reply of more than udp.MaxDatagramSize bytes; the
	// reply is not sent. It also matches udp.ErrDatagramTooLarge.
	ErrReplyTooLarge = fmt.Errorf("handler: reply larger than udp.MaxDatagramSize: %w", udp.ErrDatagramTooLarge)

	// ErrRequestTooLarge is reported (inside a *HandlerError) for a request
	// datagram longer than the server's MaxBufferSize; the request is
	// dropped and the handler not called.
	ErrRequestTooLarge = errors.New("handler: request datagram larger than MaxBufferSize")
)

// HandlerError is what a server hands to its ErrorHook when serving one
// client or one request failed: the handler returned an error or panicked
// (Err is then a *PanicError), a datagram was too large, or a reply could
// not be sent. The server goes on serving others.
type HandlerError struct {
	Peer netip.AddrPort // the client
	Err  error
}

// Error implements error.
func (e *HandlerError) Error() string { return fmt.Sprintf("handler: serving %v: %v", e.Peer, e.Err) }

// Unwrap returns Err.
func (e *HandlerError) Unwrap() error { return e.Err }

// PanicError is the Err of a *HandlerError for a handler that panicked:
// the reactor's *PanicError, holding the panic value and the stack of the
// panicking goroutine, and unwrapping to the value when it is an error.
type PanicError = reactor.PanicError

// ConfigError reports an invalid server setting.
type ConfigError struct {
	Field string // the struct field
	Value any
	Why   string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("handler: invalid %s %v: %s", e.Field, e.Value, e.Why)
}
