package handler

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/udp"
)

var (
	// ErrNilHandler is returned when a server has no handler. It is
	// reactor.ErrNilHandler.
	ErrNilHandler = reactor.ErrNilHandler

	// ErrServerClosed is returned by Shutdown on a service whose stop had
	// already begun (an earlier Shutdown or Close, or a failed loop), by
	// Close on one already closed or stopped, and by Server.Err for a
	// service stopped by Shutdown or Close.
	ErrServerClosed = errors.New("handler: server closed")

	// ErrReplyTooLarge is reported (inside a *HandlerError) when a datagram
	// handler returns a reply of more than udp.MaxDatagramSize bytes; the
	// reply is not sent. It also matches udp.ErrDatagramTooLarge.
	ErrReplyTooLarge = fmt.Errorf("handler: reply larger than udp.MaxDatagramSize: %w", udp.ErrDatagramTooLarge)

	// ErrRequestTooLarge is reported (inside a *HandlerError) for a request
	// datagram longer than the server's MaxBufferSize; the request is
	// dropped and the handler not called.
	ErrRequestTooLarge = errors.New("handler: request datagram larger than MaxBufferSize")

	// ErrIdleTimeout is reported (inside a *HandlerError) for a stream
	// client reset by StreamServer.IdleTimeout. It matches
	// os.ErrDeadlineExceeded.
	ErrIdleTimeout = fmt.Errorf("handler: connection idle timeout: %w", os.ErrDeadlineExceeded)

	// ErrHandlerTimeout is reported (inside a *HandlerError) when a datagram
	// handler returns after DatagramServer.HandlerTimeout; its reply is
	// dropped. It matches context.DeadlineExceeded.
	ErrHandlerTimeout = fmt.Errorf("handler: datagram handler timed out, reply dropped: %w", context.DeadlineExceeded)
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
