//go:build unix

package usocket_test

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/usocket"
)

var errnoTests = []struct {
	errno syscall.Errno
	want  error
}{
	{syscall.EADDRINUSE, usocket.ErrAddressInUse},
	{syscall.EADDRNOTAVAIL, usocket.ErrAddressNotAvailable},
	{syscall.EBADF, usocket.ErrBadFileDescriptor},
	{syscall.ENOTSOCK, usocket.ErrBadFileDescriptor},
	{syscall.ECONNREFUSED, usocket.ErrConnectionRefused},
	{syscall.ECONNRESET, usocket.ErrConnectionReset},
	{syscall.ECONNABORTED, usocket.ErrConnectionAborted},
	{syscall.EPIPE, usocket.ErrConnectionAborted},
	{syscall.EINVAL, usocket.ErrInvalidArgument},
	{syscall.EDESTADDRREQ, usocket.ErrInvalidArgument},
	{syscall.ENOBUFS, usocket.ErrNoBuffers},
	{syscall.ENOMEM, usocket.ErrOutOfMemory},
	{syscall.EOPNOTSUPP, usocket.ErrOperationNotSupported},
	{syscall.ENOTSUP, usocket.ErrOperationNotSupported},
	{syscall.EPERM, usocket.ErrOperationNotPermitted},
	{syscall.EACCES, usocket.ErrOperationNotPermitted},
	{syscall.EPROTONOSUPPORT, usocket.ErrProtocolNotSupported},
	{syscall.ENOPROTOOPT, usocket.ErrProtocolNotSupported},
	{syscall.ESOCKTNOSUPPORT, usocket.ErrSocketTypeNotSupported},
	{syscall.EPROTOTYPE, usocket.ErrSocketTypeNotSupported},
	{syscall.ENETUNREACH, usocket.ErrNetworkUnreachable},
	{syscall.ENETDOWN, usocket.ErrNetworkDown},
	{syscall.ENETRESET, usocket.ErrNetworkReset},
	{syscall.ESHUTDOWN, usocket.ErrAlreadyShutdown},
	{syscall.ENOTCONN, usocket.ErrShutdown},
	{syscall.ETIMEDOUT, usocket.ErrTimeout},
	{syscall.EHOSTDOWN, usocket.ErrHostDown},
	{syscall.EHOSTUNREACH, usocket.ErrHostUnreachable},
	{syscall.EINTR, usocket.ErrInterrupted},
	{syscall.EMFILE, usocket.ErrUnknown},
	{syscall.EISCONN, usocket.ErrUnknown},
}

// TestErrnoForms feeds each errno raw, inside *os.SyscallError and inside
// *net.OpError to MapError, as net's TestSpuriousENOTAVAIL does.
func TestErrnoForms(t *testing.T) {
	for _, tt := range errnoTests {
		t.Run(tt.errno.Error(), func(t *testing.T) {
			sys := os.NewSyscallError("connect", tt.errno)
			op := &net.OpError{Op: "dial", Net: "tcp", Err: sys}
			for _, in := range []error{tt.errno, sys, op} {
				err := usocket.MapError(in)
				if !errors.Is(err, tt.want) || !errors.Is(err, usocket.ErrSocket) {
					t.Errorf("%T: %v does not match %v", in, err, tt.want)
				}
				if !errors.Is(err, tt.errno) {
					t.Errorf("%T: %v lost errno %d", in, err, int(tt.errno))
				}
				if errors.Is(err, usocket.ErrNameService) {
					t.Errorf("%T: %v matches ErrNameService", in, err)
				}
				if err.Error() != in.Error() {
					t.Errorf("text changed: %q; want %q", err, in)
				}
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() != tt.errno.Timeout() {
					t.Errorf("%T: Timeout() = %v; errno says %v", in, ne.Timeout(), tt.errno.Timeout())
				}
				if tt.want == usocket.ErrTimeout && errors.Is(err, os.ErrDeadlineExceeded) {
					t.Errorf("%v: ETIMEDOUT must not match os.ErrDeadlineExceeded", err)
				}
				if in == error(tt.errno) {
					continue
				}
				var se *os.SyscallError
				if !errors.As(err, &se) || se != sys {
					t.Errorf("%T: *os.SyscallError not reachable in %#v", in, err)
				}
			}
			checkOpErrorShape(t, usocket.MapError(op))
			checkOpErrorShape(t, usocket.NewOpError("dial", "tcp", nil, nil, sys))
		})
	}
}

func TestAcceptErrnoTemporary(t *testing.T) {
	tests := []struct {
		errno syscall.Errno
		want  bool
	}{
		{syscall.EMFILE, true},
		{syscall.ENFILE, true},
		{syscall.ECONNABORTED, true},
		{syscall.ECONNRESET, true},
		{syscall.EINVAL, false},
		{syscall.EBADF, false},
	}
	for _, tt := range tests {
		sys := os.NewSyscallError("accept4", tt.errno)
		viaNew := usocket.NewAcceptError("tcp", nil, sys)
		viaMap := usocket.MapError(&net.OpError{Op: "accept", Net: "tcp", Err: sys})
		for _, err := range []error{viaNew, viaMap} {
			checkOpErrorShape(t, err)
			ne := err.(net.Error)                      //nolint:errorlint // http.Serve asserts
			if got := ne.Temporary(); got != tt.want { //nolint:staticcheck // http.Serve reads Temporary
				t.Errorf("accept %v: Temporary = %v; want %v", tt.errno, got, tt.want)
			}
		}
		// The same errno outside accept follows the errno's own answer.
		read := usocket.MapError(&net.OpError{Op: "read", Net: "tcp", Err: sys}).(net.Error) //nolint:errorlint // shape
		if got := read.Temporary(); got != tt.errno.Temporary() {                            //nolint:staticcheck // compare with errno
			t.Errorf("read %v: Temporary = %v; want %v", tt.errno, got, tt.errno.Temporary())
		}
	}
}

// refusingPort returns a loopback port with a bound but not listening
// socket, so a connect to it is refused for as long as the test runs.
func refusingPort(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.CloseOnExec(fd)
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}

func TestLoopbackConnectionRefused(t *testing.T) {
	addr, err := usocket.JoinHostPort("127.0.0.1", refusingPort(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var d net.Dialer
	c, derr := d.DialContext(ctx, "tcp", addr)
	if derr == nil {
		c.Close()
		t.Fatal("connect to a port without a listener succeeded")
	}
	err = usocket.MapError(derr)
	ue := checkOpErrorShape(t, err)
	if ue.Kind != usocket.ErrConnectionRefused {
		t.Errorf("kind = %v; want ErrConnectionRefused (err %v)", ue.Kind, err)
	}
	if !errors.Is(err, usocket.ErrConnectionRefused) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("%v: want ErrConnectionRefused and ECONNREFUSED", err)
	}
	var se *os.SyscallError
	if !errors.As(err, &se) {
		t.Errorf("%v: no *os.SyscallError", err)
	}
	if err.Error() != derr.Error() {
		t.Errorf("text changed: %q; want %q", err, derr)
	}
	if got := usocket.ConditionName(err); got != "connection-refused-error" {
		t.Errorf("ConditionName = %q", got)
	}
}

func TestLoopbackAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ln2, lerr := net.Listen("tcp", ln.Addr().String())
	if lerr == nil {
		ln2.Close()
		t.Fatal("second bind of the same port succeeded")
	}
	err = usocket.MapError(lerr)
	checkOpErrorShape(t, err)
	if !errors.Is(err, usocket.ErrAddressInUse) || !errors.Is(err, syscall.EADDRINUSE) || !errors.Is(err, usocket.ErrSocket) {
		t.Errorf("%v: want ErrAddressInUse and EADDRINUSE", err)
	}
}
