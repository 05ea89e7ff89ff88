package usocket_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/usocket"
)

// classes lists every condition sentinel with its umbrella and Lisp name.
var classes = []struct {
	err      error
	umbrella error
	lisp     string
}{
	{usocket.ErrAddressInUse, usocket.ErrSocket, "address-in-use-error"},
	{usocket.ErrAddressNotAvailable, usocket.ErrSocket, "address-not-available-error"},
	{usocket.ErrAlreadyShutdown, usocket.ErrSocket, "already-shutdown-error"},
	{usocket.ErrBadFileDescriptor, usocket.ErrSocket, "bad-file-descriptor-error"},
	{usocket.ErrConnectionRefused, usocket.ErrSocket, "connection-refused-error"},
	{usocket.ErrConnectionAborted, usocket.ErrSocket, "connection-aborted-error"},
	{usocket.ErrConnectionReset, usocket.ErrSocket, "connection-reset-error"},
	{usocket.ErrInvalidArgument, usocket.ErrSocket, "invalid-argument-error"},
	{usocket.ErrNoBuffers, usocket.ErrSocket, "no-buffers-error"},
	{usocket.ErrOperationNotSupported, usocket.ErrSocket, "operation-not-supported-error"},
	{usocket.ErrOperationNotPermitted, usocket.ErrSocket, "operation-not-permitted-error"},
	{usocket.ErrProtocolNotSupported, usocket.ErrSocket, "protocol-not-supported-error"},
	{usocket.ErrSocketTypeNotSupported, usocket.ErrSocket, "socket-type-not-supported-error"},
	{usocket.ErrNetworkUnreachable, usocket.ErrSocket, "network-unreachable-error"},
	{usocket.ErrNetworkDown, usocket.ErrSocket, "network-down-error"},
	{usocket.ErrNetworkReset, usocket.ErrSocket, "network-reset-error"},
	{usocket.ErrHostDown, usocket.ErrSocket, "host-down-error"},
	{usocket.ErrHostUnreachable, usocket.ErrSocket, "host-unreachable-error"},
	{usocket.ErrOutOfMemory, usocket.ErrSocket, "out-of-memory-error"},
	{usocket.ErrShutdown, usocket.ErrSocket, "shutdown-error"},
	{usocket.ErrTimeout, usocket.ErrSocket, "timeout-error"},
	{usocket.ErrDeadlineTimeout, usocket.ErrSocket, "deadline-timeout-error"},
	{usocket.ErrInvalidSocket, usocket.ErrSocket, "invalid-socket-error"},
	{usocket.ErrInvalidSocketStream, usocket.ErrSocket, "invalid-socket-stream-error"},
	{usocket.ErrInterrupted, usocket.ErrSocket, "interrupted-condition"},
	{usocket.ErrUnknown, usocket.ErrSocket, "unknown-error"},
	{usocket.ErrHostNotFound, usocket.ErrNameService, "ns-host-not-found-error"},
	{usocket.ErrTryAgain, usocket.ErrNameService, "ns-try-again-error"},
	{usocket.ErrNoRecovery, usocket.ErrNameService, "ns-no-recovery-error"},
	{usocket.ErrNameServiceUnknown, usocket.ErrNameService, "ns-unknown-error"},
	{usocket.ErrUnsupported, usocket.ErrInsufficientImplementation, "unsupported"},
	{usocket.ErrUnimplemented, usocket.ErrInsufficientImplementation, "unimplemented"},
}

var umbrellas = []error{usocket.ErrSocket, usocket.ErrNameService, usocket.ErrInsufficientImplementation}

func TestClassHierarchy(t *testing.T) {
	for i, c := range classes {
		if !errors.Is(c.err, c.umbrella) {
			t.Errorf("%s: not under its umbrella %v", c.lisp, c.umbrella)
		}
		for _, u := range umbrellas {
			if u != c.umbrella && errors.Is(c.err, u) {
				t.Errorf("%s: also under %v", c.lisp, u)
			}
		}
		if got := usocket.ConditionName(c.err); got != c.lisp {
			t.Errorf("ConditionName(%v) = %q; want %q", c.err, got, c.lisp)
		}
		if !strings.HasPrefix(c.err.Error(), "usocket: ") {
			t.Errorf("%s: text %q lacks the package prefix", c.lisp, c.err)
		}
		for j, d := range classes {
			if i == j {
				continue
			}
			// The only nesting among leaves: a deadline timeout is a timeout.
			want := c.err == usocket.ErrDeadlineTimeout && d.err == usocket.ErrTimeout
			if got := errors.Is(c.err, d.err); got != want {
				t.Errorf("errors.Is(%s, %s) = %v; want %v", c.lisp, d.lisp, got, want)
			}
		}
	}
	for _, u := range umbrellas {
		for _, v := range umbrellas {
			if u != v && errors.Is(u, v) {
				t.Errorf("umbrella %v is under %v", u, v)
			}
		}
	}
}

func TestStandardSentinels(t *testing.T) {
	if usocket.ErrClosed != net.ErrClosed {
		t.Fatal("ErrClosed is not net.ErrClosed")
	}
	checks := []struct {
		err, target error
		want        bool
	}{
		{usocket.ErrDeadlineTimeout, os.ErrDeadlineExceeded, true},
		{usocket.ErrTimeout, os.ErrDeadlineExceeded, false},
		{usocket.ErrInvalidSocket, net.ErrClosed, true},
		{usocket.ErrSocket, net.ErrClosed, false},
	}
	for _, c := range checks {
		if got := errors.Is(c.err, c.target); got != c.want {
			t.Errorf("errors.Is(%v, %v) = %v; want %v", c.err, c.target, got, c.want)
		}
	}
}

// checkOpErrorShape checks the three-level shape: *net.OpError at the top
// (by type assertion, as net/http does), *usocket.Error inside it.
func checkOpErrorShape(t *testing.T, err error) *usocket.Error {
	t.Helper()
	oe, ok := err.(*net.OpError) //nolint:errorlint // the top-level type matters
	if !ok {
		t.Fatalf("top-level error is %T; want *net.OpError", err)
	}
	ue, ok := oe.Err.(*usocket.Error) //nolint:errorlint // level 2 must be *Error
	if !ok {
		t.Fatalf("level-2 error is %T; want *usocket.Error", oe.Err)
	}
	return ue
}

func TestMapErrorPassThrough(t *testing.T) {
	plain := errors.New("user error")
	if got := usocket.MapError(nil); got != nil {
		t.Errorf("MapError(nil) = %v", got)
	}
	if got := usocket.MapError(io.EOF); got != io.EOF { //nolint:errorlint // bare io.EOF
		t.Errorf("MapError(io.EOF) = %#v; want bare io.EOF", got)
	}
	if got := usocket.MapError(os.NewSyscallError("read", io.EOF)); got != io.EOF { //nolint:errorlint // bare io.EOF
		t.Errorf("MapError(SyscallError(EOF)) = %#v; want bare io.EOF", got)
	}
	if got := usocket.MapError(plain); got != plain { //nolint:errorlint // identity
		t.Errorf("MapError(plain) = %v; want it unchanged", got)
	}
	if got := usocket.MapError(context.Canceled); got != context.Canceled { //nolint:errorlint // identity
		t.Errorf("MapError(Canceled) = %v; want it unchanged", got)
	}
	oe := &net.OpError{Op: "read", Net: "tcp", Err: plain}
	if got := usocket.MapError(oe); got != error(oe) { //nolint:errorlint // identity
		t.Errorf("MapError(OpError{plain}) = %v; want it unchanged", got)
	}
	once := usocket.MapError(&net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed})
	if twice := usocket.MapError(once); twice != once { //nolint:errorlint // identity
		t.Errorf("MapError is not idempotent: %#v then %#v", once, twice)
	}
}

func TestMapErrorClosed(t *testing.T) {
	src := &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}
	err := usocket.MapError(src)
	ue := checkOpErrorShape(t, err)
	if ue.Kind != usocket.ErrInvalidSocket {
		t.Errorf("kind = %v; want ErrInvalidSocket", ue.Kind)
	}
	for _, target := range []error{net.ErrClosed, usocket.ErrClosed, usocket.ErrInvalidSocket, usocket.ErrSocket} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false", err, target)
		}
	}
	if err.Error() != src.Error() {
		t.Errorf("text changed: %q; want %q", err, src)
	}
	if src.Err != net.ErrClosed { //nolint:errorlint // the input must not be modified
		t.Error("MapError modified its input")
	}
}

func TestAcceptTemporary(t *testing.T) {
	laddr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	err := usocket.NewAcceptError("tcp", laddr, net.ErrClosed)
	var ne net.Error
	if !errors.As(err, &ne) || ne.Temporary() || ne.Timeout() { //nolint:staticcheck // Temporary is what http.Serve reads
		t.Errorf("accept after close: %v should be a net.Error, neither temporary nor timeout", err)
	}
	if !errors.Is(err, net.ErrClosed) {
		t.Errorf("accept after close: %v does not match net.ErrClosed", err)
	}
	if got := usocket.NewAcceptError("tcp", laddr, nil); got != nil {
		t.Errorf("NewAcceptError(nil) = %v", got)
	}
}

func TestTimeoutError(t *testing.T) {
	la := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1000}
	ra := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2000}
	err := usocket.NewTimeoutError("read", "tcp", la, ra)
	ue := checkOpErrorShape(t, err)
	if ue.Kind != usocket.ErrDeadlineTimeout {
		t.Errorf("kind = %v", ue.Kind)
	}
	// crypto/tls uses a plain type assertion, not errors.As.
	ne, ok := err.(net.Error)                    //nolint:errorlint // as crypto/tls does
	if !ok || !ne.Timeout() || !ne.Temporary() { //nolint:staticcheck // crypto/tls reads Temporary
		t.Fatalf("%v: want a net.Error with Timeout and Temporary", err)
	}
	for _, target := range []error{os.ErrDeadlineExceeded, usocket.ErrDeadlineTimeout, usocket.ErrTimeout, usocket.ErrSocket} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(timeout, %v) = false", target)
		}
	}
	if !strings.HasSuffix(err.Error(), "i/o timeout") {
		t.Errorf("text %q does not end in i/o timeout", err)
	}
	if got := usocket.ConditionName(err); got != "deadline-timeout-error" {
		t.Errorf("ConditionName = %q", got)
	}
}

func TestMapErrorStdlibDeadline(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	if err := c1.SetReadDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	_, rerr := c1.Read(make([]byte, 1))
	if rerr == nil {
		t.Fatal("read past its deadline succeeded")
	}
	err := usocket.MapError(rerr)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("%v: lost Timeout", err)
	}
	for _, target := range []error{os.ErrDeadlineExceeded, usocket.ErrDeadlineTimeout, usocket.ErrTimeout} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false", err, target)
		}
	}
}

func TestMapErrorContextDeadline(t *testing.T) {
	err := usocket.MapError(&net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded})
	checkOpErrorShape(t, err)
	if !errors.Is(err, usocket.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v: want ErrTimeout and context.DeadlineExceeded", err)
	}
	if errors.Is(err, usocket.ErrDeadlineTimeout) {
		t.Errorf("%v: a connect timeout is not a deadline timeout", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("%v: want Timeout", err)
	}
}

func TestMapErrorDNS(t *testing.T) {
	tests := []struct {
		name string
		dns  *net.DNSError
		want error
	}{
		{"not found", &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, usocket.ErrHostNotFound},
		{"timeout", &net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}, usocket.ErrTryAgain},
		{"temporary", &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, usocket.ErrTryAgain},
		{"failure", &net.DNSError{Err: "server misbehaving", Name: "x"}, usocket.ErrNoRecovery},
		{"canceled", &net.DNSError{Err: "operation was canceled", Name: "x", UnwrapErr: context.Canceled}, usocket.ErrNameServiceUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range []error{tt.dns, &net.OpError{Op: "dial", Net: "tcp", Err: tt.dns}} {
				err := usocket.MapError(in)
				if !errors.Is(err, tt.want) || !errors.Is(err, usocket.ErrNameService) {
					t.Errorf("%T: %v does not match %v and ErrNameService", in, err, tt.want)
				}
				if errors.Is(err, usocket.ErrSocket) {
					t.Errorf("%v matches ErrSocket", err)
				}
				var d *net.DNSError
				if !errors.As(err, &d) || d != tt.dns {
					t.Errorf("%v: *net.DNSError not reachable", err)
				}
				if err.Error() != in.Error() {
					t.Errorf("text changed: %q; want %q", err, in)
				}
			}
		})
	}
}

func TestInputError(t *testing.T) {
	_, err := usocket.JoinHostPort("127.0.0.1", 70000)
	var ie *usocket.InputError
	if !errors.As(err, &ie) || ie.Arg != "port" || ie.Op != "JoinHostPort" {
		t.Fatalf("JoinHostPort(70000) = %#v; want an *InputError on port", err)
	}
	if !errors.Is(err, usocket.ErrInvalidArgument) || !errors.Is(err, usocket.ErrSocket) {
		t.Errorf("%v: want ErrInvalidArgument and ErrSocket", err)
	}
	if got := usocket.ConditionName(err); got != "invalid-argument-error" {
		t.Errorf("ConditionName = %q", got)
	}
	if want := "usocket: JoinHostPort: invalid port 70000: out of range 0..65535"; err.Error() != want {
		t.Errorf("text = %q; want %q", err, want)
	}
	_, err = usocket.ParseDottedQuad("1.2.3")
	if !errors.As(err, &ie) || ie.Err == nil || !strings.Contains(err.Error(), `"1.2.3"`) {
		t.Errorf("ParseDottedQuad(1.2.3) = %v; want the parse cause and quoted input", err)
	}
}

func TestImplementationError(t *testing.T) {
	err := error(&usocket.ImplementationError{Feature: "linger", Context: "SetOption"})
	if !errors.Is(err, usocket.ErrUnimplemented) || !errors.Is(err, usocket.ErrInsufficientImplementation) {
		t.Errorf("%v: want ErrUnimplemented", err)
	}
	if errors.Is(err, usocket.ErrSocket) || errors.Is(err, usocket.ErrUnsupported) {
		t.Errorf("%v: matches too much", err)
	}
	if want := "usocket: linger in SetOption is unimplemented"; err.Error() != want {
		t.Errorf("text = %q; want %q", err, want)
	}
	err = &usocket.ImplementationError{Kind: usocket.ErrUnsupported, Feature: "f", Context: "c"}
	if !errors.Is(err, usocket.ErrUnsupported) || errors.Is(err, usocket.ErrUnimplemented) {
		t.Errorf("%v: want ErrUnsupported only", err)
	}
}

func TestZeroErrorDoesNotPanic(t *testing.T) {
	var e usocket.Error
	if e.Error() == "" || e.Timeout() || e.Temporary() || e.Unwrap() != nil || errors.Is(&e, usocket.ErrSocket) {
		t.Errorf("zero Error misbehaves: %q", e.Error())
	}
	k := usocket.Error{Kind: usocket.ErrTimeout}
	if k.Error() != usocket.ErrTimeout.Error() || !k.Timeout() || !k.Temporary() {
		t.Errorf("Error{Kind: ErrTimeout} = %q, Timeout %v", k.Error(), k.Timeout())
	}
	if got := usocket.ConditionName(fmt.Errorf("x: %w", errors.New("y"))); got != "" {
		t.Errorf("ConditionName(unrelated) = %q", got)
	}
}
