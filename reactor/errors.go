package reactor

import (
	"errors"
	"fmt"
	"net"
)

var (
	// ErrClosed is returned by every call on a reactor, listener or connection
	// that has been closed. It is net.ErrClosed, so errors.Is(err, net.ErrClosed)
	// holds as it does for the standard library.
	ErrClosed = net.ErrClosed

	// ErrWriteClosed is returned by Write after CloseWrite or Close.
	ErrWriteClosed = fmt.Errorf("reactor: write side closed: %w", net.ErrClosed)

	// ErrLingerTimeout is the close reason when a graceful Close could not
	// flush the outbound queue within the linger time; the connection was
	// then reset.
	ErrLingerTimeout = errors.New("reactor: linger time exceeded, connection reset")

	// ErrIdleTimeout is the close reason for a connection that saw no
	// traffic for longer than the idle timeout.
	ErrIdleTimeout = errors.New("reactor: idle timeout")

	// ErrEdgeWatcher is returned by SetInterest on a Watcher made by
	// WatchEdge, whose interest is fixed.
	ErrEdgeWatcher = errors.New("reactor: edge watcher has fixed interest")

	// ErrNilHandler is returned when a nil Handler is passed.
	ErrNilHandler = errors.New("reactor: nil handler")

	// ErrNotSocket is returned by Attach for a net.Conn that exposes no file
	// descriptor.
	ErrNotSocket = errors.New("reactor: connection has no file descriptor")
)

// PanicError is handed to the error hook (and to OnClose) when a callback
// panicked. The connection whose callback panicked is closed; the reactor goes
// on.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack of the panicking goroutine
}

// Error implements error.
func (e *PanicError) Error() string { return fmt.Sprintf("reactor: callback panicked: %v", e.Value) }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// OptionError reports an invalid reactor option.
type OptionError struct {
	Name  string
	Value any
}

// Error implements error.
func (e *OptionError) Error() string {
	return fmt.Sprintf("reactor: invalid option %s: %v", e.Name, e.Value)
}

func optionError(name string, v any) error { return &OptionError{Name: name, Value: v} }

// UnsupportedError reports a feature the reactor's backend does not have:
// on the net backend (Windows, or the usocket_netstd build tag) there are
// no raw descriptors, so Watch, WatchEdge, WithReusePort and WithBacklog
// return one. errors.Is(err, errors.ErrUnsupported) holds.
type UnsupportedError struct {
	Feature string // what was asked for, e.g. "Watch"
	Backend string // the backend that lacks it, e.g. "net"
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return "reactor: " + e.Feature + " is not supported on the " + e.Backend + " backend"
}

// Unwrap returns errors.ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return errors.ErrUnsupported }

// unsupported reports feature as missing from this build's backend.
func unsupported(feature string) error {
	return &UnsupportedError{Feature: feature, Backend: backendName}
}
