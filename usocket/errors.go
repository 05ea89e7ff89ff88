package usocket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
)

// kind is the type of every condition sentinel in this package. A kind
// matches itself and, through its parent chain, the umbrella sentinels, so
// errors.Is(ErrConnectionRefused, ErrSocket) is true.
type kind struct {
	msg    string // text returned by Error
	lisp   string // name of the Common Lisp usocket condition class
	parent *kind  // umbrella class, nil for a root
	also   error  // a standard-library sentinel this class also matches
}

func newKind(msg, lisp string, parent *kind) *kind {
	return &kind{msg: msg, lisp: lisp, parent: parent}
}

// Error returns the sentinel's text.
func (k *kind) Error() string { return "usocket: " + k.msg }

// Is reports whether target is one of k's umbrella classes, or the
// standard-library sentinel that k or an umbrella stands for.
func (k *kind) Is(target error) bool {
	for p := k; p != nil; p = p.parent {
		if (p != k && target == error(p)) || (p.also != nil && target == p.also) {
			return true
		}
	}
	return false
}

// withAlso records the standard-library sentinel that k also matches.
func (k *kind) withAlso(std error) *kind {
	k.also = std
	return k
}

// Umbrella classes.
var (
	// ErrSocket is the umbrella for every socket condition. Every socket kind
	// below matches it with errors.Is. It is usocket's SOCKET-ERROR (and
	// SOCKET-CONDITION, which has no separate Go form).
	ErrSocket error = rootSocket

	// ErrNameService is the umbrella for every name-resolution condition
	// (ErrHostNotFound, ErrTryAgain, ErrNoRecovery, ErrNameServiceUnknown).
	// It is usocket's NS-ERROR (and NS-CONDITION).
	ErrNameService error = rootNameService

	// ErrInsufficientImplementation is the umbrella for ErrUnsupported and
	// ErrUnimplemented. It is usocket's INSUFFICIENT-IMPLEMENTATION.
	ErrInsufficientImplementation error = rootImpl
)

var (
	rootSocket      = newKind("socket error", "socket-error", nil)
	rootNameService = newKind("name service error", "ns-error", nil)
	rootImpl        = newKind("insufficient implementation", "insufficient-implementation", nil)
	timeoutKind     = newKind("timeout", "timeout-error", rootSocket)
)

// Socket conditions. Each one matches ErrSocket with errors.Is.
var (
	// ErrAddressInUse is usocket's ADDRESS-IN-USE-ERROR (EADDRINUSE).
	ErrAddressInUse error = newKind("address in use", "address-in-use-error", rootSocket)
	// ErrAddressNotAvailable is usocket's ADDRESS-NOT-AVAILABLE-ERROR (EADDRNOTAVAIL).
	ErrAddressNotAvailable error = newKind("address not available", "address-not-available-error", rootSocket)
	// ErrAlreadyShutdown is usocket's ALREADY-SHUTDOWN-ERROR (ESHUTDOWN).
	ErrAlreadyShutdown error = newKind("already shut down", "already-shutdown-error", rootSocket)
	// ErrBadFileDescriptor is usocket's BAD-FILE-DESCRIPTOR-ERROR (EBADF, ENOTSOCK).
	ErrBadFileDescriptor error = newKind("bad file descriptor", "bad-file-descriptor-error", rootSocket)
	// ErrConnectionRefused is usocket's CONNECTION-REFUSED-ERROR (ECONNREFUSED).
	ErrConnectionRefused error = newKind("connection refused", "connection-refused-error", rootSocket)
	// ErrConnectionAborted is usocket's CONNECTION-ABORTED-ERROR
	// (ECONNABORTED, and EPIPE as on SBCL, usocket #64).
	ErrConnectionAborted error = newKind("connection aborted", "connection-aborted-error", rootSocket)
	// ErrConnectionReset is usocket's CONNECTION-RESET-ERROR (ECONNRESET).
	ErrConnectionReset error = newKind("connection reset", "connection-reset-error", rootSocket)
	// ErrInvalidArgument is usocket's INVALID-ARGUMENT-ERROR (EINVAL,
	// EDESTADDRREQ). Bad input to this package's functions ([*InputError])
	// matches it too.
	ErrInvalidArgument error = newKind("invalid argument", "invalid-argument-error", rootSocket)
	// ErrNoBuffers is usocket's NO-BUFFERS-ERROR (ENOBUFS).
	ErrNoBuffers error = newKind("no buffer space", "no-buffers-error", rootSocket)
	// ErrOperationNotSupported is usocket's OPERATION-NOT-SUPPORTED-ERROR (EOPNOTSUPP, ENOTSUP).
	ErrOperationNotSupported error = newKind("operation not supported", "operation-not-supported-error", rootSocket)
	// ErrOperationNotPermitted is usocket's OPERATION-NOT-PERMITTED-ERROR (EPERM, EACCES).
	ErrOperationNotPermitted error = newKind("operation not permitted", "operation-not-permitted-error", rootSocket)
	// ErrProtocolNotSupported is usocket's PROTOCOL-NOT-SUPPORTED-ERROR
	// (EPROTONOSUPPORT, and ENOPROTOOPT, which usocket's Linux table maps here).
	ErrProtocolNotSupported error = newKind("protocol not supported", "protocol-not-supported-error", rootSocket)
	// ErrSocketTypeNotSupported is usocket's SOCKET-TYPE-NOT-SUPPORTED-ERROR
	// (ESOCKTNOSUPPORT, EPROTOTYPE).
	ErrSocketTypeNotSupported error = newKind("socket type not supported", "socket-type-not-supported-error", rootSocket)
	// ErrNetworkUnreachable is usocket's NETWORK-UNREACHABLE-ERROR (ENETUNREACH).
	ErrNetworkUnreachable error = newKind("network unreachable", "network-unreachable-error", rootSocket)
	// ErrNetworkDown is usocket's NETWORK-DOWN-ERROR (ENETDOWN).
	ErrNetworkDown error = newKind("network down", "network-down-error", rootSocket)
	// ErrNetworkReset is usocket's NETWORK-RESET-ERROR (ENETRESET).
	ErrNetworkReset error = newKind("network reset", "network-reset-error", rootSocket)
	// ErrHostDown is usocket's HOST-DOWN-ERROR (EHOSTDOWN).
	ErrHostDown error = newKind("host down", "host-down-error", rootSocket)
	// ErrHostUnreachable is usocket's HOST-UNREACHABLE-ERROR (EHOSTUNREACH).
	ErrHostUnreachable error = newKind("host unreachable", "host-unreachable-error", rootSocket)
	// ErrOutOfMemory is usocket's OUT-OF-MEMORY-ERROR (ENOMEM).
	ErrOutOfMemory error = newKind("out of memory", "out-of-memory-error", rootSocket)
	// ErrShutdown is usocket's SHUTDOWN-ERROR. The Go port uses it for
	// ENOTCONN: the socket is not (or no longer) connected.
	ErrShutdown error = newKind("socket shut down", "shutdown-error", rootSocket)
	// ErrTimeout is usocket's TIMEOUT-ERROR (ETIMEDOUT, and a connect that
	// ran out of time). Every deadline error (ErrDeadlineTimeout) matches it
	// too, so errors.Is(err, ErrTimeout) catches all timeouts. Only deadline
	// errors also match os.ErrDeadlineExceeded.
	ErrTimeout error = timeoutKind
	// ErrDeadlineTimeout is usocket's DEADLINE-TIMEOUT-ERROR: a deadline set
	// on a socket (SetDeadline, a receive or send timeout) has passed. Errors
	// of this kind also match ErrTimeout and os.ErrDeadlineExceeded.
	ErrDeadlineTimeout error = newKind("deadline exceeded", "deadline-timeout-error", timeoutKind).withAlso(os.ErrDeadlineExceeded)
	// ErrInvalidSocket is usocket's INVALID-SOCKET-ERROR. The Go port uses it
	// for use of a closed socket; such errors also match [ErrClosed].
	ErrInvalidSocket error = newKind("invalid socket", "invalid-socket-error", rootSocket).withAlso(net.ErrClosed)
	// ErrInvalidSocketStream is usocket's INVALID-SOCKET-STREAM-ERROR. The Go
	// port has no separate stream object, so nothing returns it today; it
	// exists so that the class list is complete.
	ErrInvalidSocketStream error = newKind("invalid socket stream", "invalid-socket-stream-error", rootSocket)
	// ErrInterrupted is usocket's INTERRUPTED-CONDITION (EINTR). In Lisp it
	// is not an error; in Go it is an error under ErrSocket.
	ErrInterrupted error = newKind("interrupted", "interrupted-condition", rootSocket)
	// ErrUnknown is usocket's UNKNOWN-ERROR (and UNKNOWN-CONDITION): an
	// operating-system error with no more specific class. The errno stays
	// reachable with errors.As.
	ErrUnknown error = newKind("unknown socket error", "unknown-error", rootSocket)
)

// Name-service conditions. Each one matches ErrNameService with errors.Is.
var (
	// ErrHostNotFound is usocket's NS-HOST-NOT-FOUND-ERROR: the name does
	// not exist (a *net.DNSError with IsNotFound).
	ErrHostNotFound error = newKind("host not found", "ns-host-not-found-error", rootNameService)
	// ErrTryAgain is usocket's NS-TRY-AGAIN-ERROR (and the obsolete
	// NS-TRY-AGAIN-CONDITION): a temporary failure or a timeout.
	ErrTryAgain error = newKind("name service temporary failure", "ns-try-again-error", rootNameService)
	// ErrNoRecovery is usocket's NS-NO-RECOVERY-ERROR: the name server
	// failed in a way that retrying will not fix.
	ErrNoRecovery error = newKind("name service non-recoverable failure", "ns-no-recovery-error", rootNameService)
	// ErrNameServiceUnknown is usocket's NS-UNKNOWN-ERROR (and
	// NS-UNKNOWN-CONDITION), for example a lookup cancelled by its context.
	ErrNameServiceUnknown error = newKind("unknown name service error", "ns-unknown-error", rootNameService)
)

// Insufficient-implementation conditions.
var (
	// ErrUnsupported is usocket's UNSUPPORTED: the feature exists but not in
	// the requested form (or not on this backend). It also matches the
	// standard library's errors.ErrUnsupported.
	ErrUnsupported error = newKind("unsupported", "unsupported", rootImpl).withAlso(errors.ErrUnsupported)
	// ErrUnimplemented is usocket's UNIMPLEMENTED, for example an unknown
	// socket option name (see [ParseOptionName]).
	ErrUnimplemented error = newKind("unimplemented", "unimplemented", rootImpl)
)

// ErrClosed is net.ErrClosed: the socket was closed by this process. Test
// it with errors.Is(err, usocket.ErrClosed); errors of this kind also match
// ErrInvalidSocket and ErrSocket once they went through [MapError].
var ErrClosed = net.ErrClosed

// ConditionName returns the name of the Common Lisp usocket condition class
// that err belongs to, such as "connection-refused-error", or "" when err
// matches none of this package's classes.
func ConditionName(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if k, ok := e.Kind.(*kind); ok {
			return k.lisp
		}
	}
	var k *kind
	if errors.As(err, &k) {
		return k.lisp
	}
	for _, c := range conditionOrder {
		if errors.Is(err, c) {
			return c.(*kind).lisp
		}
	}
	return ""
}

// conditionOrder lists the most specific classes first, for ConditionName on
// errors (such as *InputError) that only match a kind through Is or Unwrap.
var conditionOrder = []error{
	ErrDeadlineTimeout, ErrInvalidArgument, ErrUnimplemented, ErrUnsupported,
	ErrHostNotFound, ErrTryAgain, ErrNoRecovery, ErrNameServiceUnknown,
}

// Error is the error type that carries a usocket condition class. It sits at
// the level the standard library keeps for the cause: inside a *net.OpError
// and around the *os.SyscallError, as in
//
//	*net.OpError{Op: "dial", Err: *Error{Kind: ErrConnectionRefused,
//		Err: *os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}}
//
// Error delegates its text, Timeout and Temporary to Err and unwraps to it,
// so errors.Is(err, syscall.ECONNREFUSED) and errors.As(err, new(*os.SyscallError))
// still work. Its Is method adds the class: errors.Is(err, ErrConnectionRefused)
// and errors.Is(err, ErrSocket) are both true. Build one with [MapError],
// [NewOpError] or [NewAcceptError] rather than by hand.
type Error struct {
	// Kind is one of this package's condition sentinels, such as
	// ErrConnectionRefused.
	Kind error
	// Err is the underlying error, usually an *os.SyscallError, a
	// *net.DNSError or a deadline error.
	Err error

	accept bool // produced by accept: see Temporary
}

// Error returns the text of the underlying error.
func (e *Error) Error() string {
	switch {
	case e.Err != nil:
		return e.Err.Error()
	case e.Kind != nil:
		return e.Kind.Error()
	}
	return "usocket: error"
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's condition class or one of its umbrellas.
func (e *Error) Is(target error) bool {
	return e.Kind != nil && errors.Is(e.Kind, target)
}

// Timeout reports whether the error is a timeout: the class is ErrTimeout
// (or ErrDeadlineTimeout), or the underlying error says so.
func (e *Error) Timeout() bool {
	if e.Kind != nil && errors.Is(e.Kind, ErrTimeout) {
		return true
	}
	t, ok := e.Err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

// Temporary reports whether retrying may succeed. It is true for timeouts
// (so that crypto/tls survives a read deadline), for errors that say so
// themselves, and, for errors from accept, for EMFILE, ENFILE, ECONNABORTED
// and ECONNRESET, so that net/http.Server.Serve backs off and retries.
func (e *Error) Temporary() bool {
	if e.accept && acceptTemporary(e.Err) {
		return true
	}
	if e.Timeout() {
		return true
	}
	cause := e.Err
	if se, ok := cause.(*os.SyscallError); ok { // it has no Temporary method
		cause = se.Err
	}
	t, ok := cause.(interface{ Temporary() bool })
	return ok && t.Temporary()
}

// MapError inserts this package's condition class into err and returns the
// result; errors.Is(result, original-sentinel-or-errno) stays true.
//   - nil and a bare io.EOF are returned unchanged (io.Copy and bufio compare
//     io.EOF with ==), and so is an *os.SyscallError around io.EOF, which
//     becomes the bare io.EOF.
//   - A *net.OpError is copied with its Err replaced by an *Error that wraps
//     the old Err, so the top-level type stays *net.OpError. For Op "accept"
//     the *Error reports Temporary as described on [Error.Temporary].
//   - Any other error of a known class (an errno, *os.SyscallError,
//     *net.DNSError, deadline error, net.ErrClosed) is wrapped in an *Error.
//   - Errors of no known class, and errors already mapped, are returned
//     unchanged.
func MapError(err error) error {
	if err == nil || err == io.EOF { //nolint:errorlint // bare io.EOF by contract
		return err
	}
	if se, ok := err.(*os.SyscallError); ok && se.Err == io.EOF { //nolint:errorlint // gnet's EOF shape
		return io.EOF
	}
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	if oe, ok := err.(*net.OpError); ok {
		inner := wrapKind(oe.Err, oe.Op == "accept")
		if inner == oe.Err { //nolint:errorlint // identity: nothing was added
			return err
		}
		c := *oe
		c.Err = inner
		return &c
	}
	return wrapKind(err, false)
}

// NewOpError returns err as the standard three-level error: a *net.OpError
// with the given fields around an *Error around err. It returns nil for nil,
// io.EOF for io.EOF, and MapError(err) when err already is a *net.OpError.
func NewOpError(op, network string, source, addr net.Addr, err error) error {
	if err == nil || err == io.EOF { //nolint:errorlint // bare io.EOF by contract
		return err
	}
	if _, ok := err.(*net.OpError); ok {
		return MapError(err)
	}
	return &net.OpError{Op: op, Net: network, Source: source, Addr: addr,
		Err: wrapKind(err, op == "accept")}
}

// NewAcceptError is NewOpError for a failed accept on the listener at
// laddr. EMFILE, ENFILE, ECONNABORTED and ECONNRESET report Temporary, as
// net/http.Server.Serve expects; net.ErrClosed does not.
func NewAcceptError(network string, laddr net.Addr, err error) error {
	return NewOpError("accept", network, nil, laddr, err)
}

// NewTimeoutError returns the error for a deadline that passed during op:
// a *net.OpError whose Timeout and Temporary are true, which matches
// os.ErrDeadlineExceeded, ErrDeadlineTimeout, ErrTimeout and ErrSocket,
// and whose text ends in "i/o timeout" as the standard library's does.
func NewTimeoutError(op, network string, source, addr net.Addr) error {
	return &net.OpError{Op: op, Net: network, Source: source, Addr: addr,
		Err: &Error{Kind: ErrDeadlineTimeout, Err: errDeadline}}
}

// errDeadline is the cause of every deadline error this package makes.
var errDeadline error = deadlineError{}

// deadlineError is a net.Error with Timeout and Temporary true that unwraps
// to os.ErrDeadlineExceeded.
type deadlineError struct{}

func (deadlineError) Error() string   { return "i/o timeout" }
func (deadlineError) Timeout() bool   { return true }
func (deadlineError) Temporary() bool { return true }
func (deadlineError) Unwrap() error   { return os.ErrDeadlineExceeded }

var _ net.Error = deadlineError{}
var _ net.Error = (*Error)(nil)

// wrapKind wraps err in an *Error when its class is known, and returns it
// unchanged otherwise.
func wrapKind(err error, accept bool) error {
	if err == nil {
		return nil
	}
	k := classify(err)
	if k == nil {
		return err
	}
	return &Error{Kind: k, Err: err, accept: accept}
}

// classify returns the condition class of err, or nil.
func classify(err error) error {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return dnsKind(dns)
	case errors.Is(err, net.ErrClosed):
		return ErrInvalidSocket
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrDeadlineTimeout
	case errors.Is(err, context.DeadlineExceeded):
		return ErrTimeout
	}
	return errnoKind(err)
}

// dnsKind maps a resolver error onto the name-service classes the way
// usocket maps getaddrinfo's codes.
func dnsKind(d *net.DNSError) error {
	switch {
	case d.IsNotFound:
		return ErrHostNotFound
	case d.IsTimeout || d.IsTemporary:
		return ErrTryAgain
	case errors.Is(d, context.Canceled):
		return ErrNameServiceUnknown
	}
	return ErrNoRecovery
}

// InputError reports bad input to a function of this package, such as a
// port out of range or text that is not an address. It matches
// ErrInvalidArgument (and so ErrSocket) with errors.Is.
type InputError struct {
	Op     string // the function, such as "JoinHostPort"
	Arg    string // the argument, such as "port"
	Value  any    // the rejected value
	Reason string // why it was rejected
	Err    error  // the underlying parse error, if any
}

// Error describes the rejected input.
func (e *InputError) Error() string {
	v := fmt.Sprintf("%v", e.Value)
	if s, ok := e.Value.(string); ok {
		v = strconv.Quote(s)
	}
	msg := "usocket: " + e.Op + ": invalid " + e.Arg + " " + v
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns ErrInvalidArgument and the underlying error, if any.
func (e *InputError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidArgument, e.Err}
	}
	return []error{ErrInvalidArgument}
}

// ImplementationError reports a feature this port does not provide, in the
// shape of usocket's INSUFFICIENT-IMPLEMENTATION (slots feature and context).
// It matches Kind (ErrUnimplemented when nil) and
// ErrInsufficientImplementation with errors.Is.
type ImplementationError struct {
	Kind    error  // ErrUnimplemented or ErrUnsupported
	Feature string // the missing feature, such as an option name
	Context string // where it was asked for, such as "SetOption"
}

// Error reads like usocket's report: "FEATURE in CONTEXT is unimplemented."
func (e *ImplementationError) Error() string {
	what := "unimplemented"
	if e.Kind == ErrUnsupported {
		what = "unsupported"
	}
	return fmt.Sprintf("usocket: %s in %s is %s", e.Feature, e.Context, what)
}

// Unwrap returns the class sentinel.
func (e *ImplementationError) Unwrap() error {
	if e.Kind == nil {
		return ErrUnimplemented
	}
	return e.Kind
}
