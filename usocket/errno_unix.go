//go:build unix

package usocket

import (
	"errors"
	"syscall"
)

// errnoTable is usocket's +unix-errno-error-map+ (condition.lisp) written
// with the platform's own constants, so the Linux numbers are right (the
// Lisp table is off by one for 92/93). Rows marked "Go port" are additions
// for errnos usocket leaves raw. It is a slice, not a map, because some
// constants coincide on some systems (ENOTSUP and EOPNOTSUPP on Linux);
// the first matching row wins.
var errnoTable = []struct {
	errno syscall.Errno
	kind  error
}{
	{syscall.EADDRINUSE, ErrAddressInUse},
	{syscall.EADDRNOTAVAIL, ErrAddressNotAvailable},
	{syscall.EBADF, ErrBadFileDescriptor},
	{syscall.ECONNREFUSED, ErrConnectionRefused},
	{syscall.ECONNRESET, ErrConnectionReset},
	{syscall.ECONNABORTED, ErrConnectionAborted},
	{syscall.EINVAL, ErrInvalidArgument},
	{syscall.ENOBUFS, ErrNoBuffers},
	{syscall.ENOMEM, ErrOutOfMemory},
	{syscall.EOPNOTSUPP, ErrOperationNotSupported},
	{syscall.EPERM, ErrOperationNotPermitted},
	{syscall.EACCES, ErrOperationNotPermitted},
	{syscall.EPROTONOSUPPORT, ErrProtocolNotSupported},
	{syscall.ENOPROTOOPT, ErrProtocolNotSupported}, // what usocket's Linux "92" really is
	{syscall.ESOCKTNOSUPPORT, ErrSocketTypeNotSupported},
	{syscall.ENETUNREACH, ErrNetworkUnreachable},
	{syscall.ENETDOWN, ErrNetworkDown},
	{syscall.ENETRESET, ErrNetworkReset},
	{syscall.ESHUTDOWN, ErrAlreadyShutdown},
	{syscall.ETIMEDOUT, ErrTimeout},
	{syscall.EHOSTDOWN, ErrHostDown},
	{syscall.EHOSTUNREACH, ErrHostUnreachable},
	{syscall.EINTR, ErrInterrupted}, // usocket's non-error map

	{syscall.ENOTSUP, ErrOperationNotSupported},     // Go port (distinct on BSD)
	{syscall.EPROTOTYPE, ErrSocketTypeNotSupported}, // Go port
	{syscall.EPIPE, ErrConnectionAborted},           // Go port; SBCL's broken-pipe, usocket #64
	{syscall.ENOTCONN, ErrShutdown},                 // Go port
	{syscall.EDESTADDRREQ, ErrInvalidArgument},      // Go port
	{syscall.ENOTSOCK, ErrBadFileDescriptor},        // Go port
}

// errnoKind returns the class of the first syscall.Errno in err's chain:
// the table's row, ErrUnknown for an errno with no row, or nil when err
// holds no errno.
func errnoKind(err error) error {
	var errno syscall.Errno
	if !errors.As(err, &errno) || errno == 0 {
		return nil
	}
	for _, row := range errnoTable {
		if row.errno == errno {
			return row.kind
		}
	}
	return ErrUnknown
}

// acceptTemporary reports whether err, returned by accept, is one that a
// server should retry after a pause (see net.OpError.Temporary, issue 6163).
func acceptTemporary(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.EMFILE, syscall.ENFILE, syscall.ECONNABORTED, syscall.ECONNRESET:
		return true
	}
	return false
}
