package waitlist

import (
	"errors"
	"os"
)

// ErrInvalidArgument is the kind of every error caused by bad input to this
// package: test for it with errors.Is.
var ErrInvalidArgument = errors.New("invalid argument")

// ErrNegativeTimeout is returned (inside an [*Error]) when a wait is asked
// for with a negative timeout. It matches [ErrInvalidArgument].
var ErrNegativeTimeout error = &kindError{msg: "negative timeout"}

// ErrNilSource is returned (inside an [*Error]) when a nil [Source], or a
// Source whose WaitSignal returns nil, is given. It matches
// [ErrInvalidArgument].
var ErrNilSource error = &kindError{msg: "nil source or nil signal"}

// ErrWaitForever is returned (inside an [*Error]) by the one-shot [Wait]
// when it is given no sources, timeout [Forever] and a context that can
// never be done: such a call could only block for ever. It matches
// [ErrInvalidArgument].
var ErrWaitForever error = &kindError{msg: "no sources, no timeout and no cancellable context"}

// ErrTimeout is returned by the wait functions when the timeout passes, or a
// zero-timeout poll finds nothing ready. It satisfies net.Error with
// Timeout() true, and errors.Is(ErrTimeout, os.ErrDeadlineExceeded) holds,
// as for a deadline on a net.Conn.
var ErrTimeout error = timeoutError{}

// Error reports a failed operation of this package on bad input. Err is one
// of the kind sentinels above; errors.Is reaches it and [ErrInvalidArgument].
type Error struct {
	Op  string // "new", "add", "wait"
	Err error
}

// Error implements error.
func (e *Error) Error() string { return "waitlist: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the kind sentinel.
func (e *Error) Unwrap() error { return e.Err }

// kindError is an invalid-argument sentinel with its own message.
type kindError struct{ msg string }

func (k *kindError) Error() string { return ErrInvalidArgument.Error() + ": " + k.msg }

func (k *kindError) Unwrap() error { return ErrInvalidArgument }

// timeoutError is the type of ErrTimeout.
type timeoutError struct{}

func (timeoutError) Error() string   { return "waitlist: wait timed out" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Unwrap() error   { return os.ErrDeadlineExceeded }
