//go:build unix

package usocket

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// closedPort returns a loopback port with nothing listening on it.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return port
}

// checkDialShape asserts the three levels of a dial error (R5).
func checkDialShape(t *testing.T, err error) {
	t.Helper()
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "dial" {
		t.Fatalf("err = %#v, want *net.OpError with Op dial", err)
	}
	if _, ok := err.(*net.OpError); !ok {
		t.Errorf("top-level error is %T, want *net.OpError", err)
	}
}

func TestConnectRefused(t *testing.T) {
	c, err := Connect(testCtx(t), "127.0.0.1", closedPort(t))
	if c != nil {
		t.Fatal("got a Conn from a refused connect")
	}
	checkDialShape(t, err)
	var ue *Error
	var se *os.SyscallError
	if !errors.Is(err, ErrConnectionRefused) || !errors.Is(err, syscall.ECONNREFUSED) ||
		!errors.Is(err, ErrSocket) || !errors.As(err, &ue) || !errors.As(err, &se) {
		t.Fatalf("err = %v: want ErrConnectionRefused, ECONNREFUSED, *Error and *os.SyscallError", err)
	}
	if ConditionName(err) != "connection-refused-error" {
		t.Errorf("ConditionName = %q", ConditionName(err))
	}
}

func TestDialContextNilInterface(t *testing.T) {
	var d Dialer
	nc, err := d.DialContext(testCtx(t), "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(closedPort(t))))
	if err == nil || nc != nil {
		t.Fatalf("DialContext = %#v, %v; want a nil interface and an error", nc, err)
	}
	if _, err := d.DialContext(testCtx(t), "udp", "127.0.0.1:1"); err == nil {
		t.Error("DialContext accepted network udp")
	}
}

// TestConnectTimeout: a listener whose backlog is full drops SYNs, so a
// connect with a Timeout ends with a timeout error.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0") // never accepted on
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	relisten(t, ln.(*net.TCPListener), 1)
	port := ln.Addr().(*net.TCPAddr).Port

	// Fill the backlog; once it is full the kernel drops SYNs and these
	// dials time out too, which is fine.
	for i := 0; i < 4; i++ {
		d := Dialer{Timeout: 100 * time.Millisecond}
		if c, err := d.Connect(testCtx(t), "127.0.0.1", port); err == nil {
			defer c.Close()
		}
	}
	d := Dialer{Timeout: 200 * time.Millisecond}
	c, err := d.Connect(testCtx(t), "127.0.0.1", port)
	if err == nil {
		_ = c.Close()
		t.Fatal("connect to a full backlog succeeded")
	}
	checkDialShape(t, err)
	var ne net.Error
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want ErrTimeout and a net.Error with Timeout()", err)
	}
	if name := ConditionName(err); name != "timeout-error" && name != "deadline-timeout-error" {
		t.Errorf("ConditionName = %q", name)
	}
}

// relisten calls listen(2) again to shrink the backlog.
func relisten(t *testing.T, ln *net.TCPListener, backlog int) {
	t.Helper()
	rc, err := ln.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) { lerr = unix.Listen(int(fd), backlog) }); err != nil || lerr != nil {
		t.Fatalf("listen: %v %v", err, lerr)
	}
}

func TestConnectBadHost(t *testing.T) {
	_, err := Connect(testCtx(t), "no-such-host.invalid", 80)
	checkDialShape(t, err)
	var dns *net.DNSError
	if !errors.Is(err, ErrHostNotFound) || !errors.Is(err, ErrNameService) || !errors.As(err, &dns) {
		t.Fatalf("err = %v, want ErrHostNotFound around a *net.DNSError", err)
	}
}

func TestConnectBadInput(t *testing.T) {
	cases := []struct {
		name string
		d    Dialer
		host string
		port int
	}{
		{"port -1", Dialer{}, "127.0.0.1", -1},
		{"port 70000", Dialer{}, "127.0.0.1", 70000},
		{"empty host", Dialer{}, "", 80},
		{"negative timeout", Dialer{Timeout: -time.Second}, "127.0.0.1", 80},
		{"local port", Dialer{LocalPort: 1 << 20}, "127.0.0.1", 80},
	}
	for _, tc := range cases {
		c, err := tc.d.Connect(testCtx(t), tc.host, tc.port)
		var ie *InputError
		if c != nil || !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &ie) {
			t.Errorf("%s: %v, want an *InputError matching ErrInvalidArgument", tc.name, err)
			continue
		}
		checkDialShape(t, err)
	}
	//nolint:staticcheck // a nil context is the bad input under test
	if _, err := Connect(nil, "127.0.0.1", 80); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil ctx: %v", err)
	}
}

func TestConnectContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Connect(ctx, "127.0.0.1", 80)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestDialerOptions: local bind, NoDelay off and KeepAlive on reach the
// socket.
func TestDialerOptions(t *testing.T) {
	ln := newLocalListener(t)
	d := Dialer{LocalHost: "127.0.0.1", NoDelay: new(false), KeepAlive: true, ReadBufferLimit: 4096}
	c, err := d.Connect(testCtx(t), "localhost", int(ln.AddrPort().Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.LocalAddrPort().Addr().String(); got != "127.0.0.1" {
		t.Errorf("local address %s", got)
	}
	if nd, err := c.NoDelay(); err != nil || nd {
		t.Errorf("NoDelay = %v, %v; want false", nd, err)
	}
	if ka, err := c.KeepAlive(); err != nil || !ka {
		t.Errorf("KeepAlive = %v, %v; want true", ka, err)
	}
	// ReadBufferLimit is SO_RCVBUF, which Linux reports doubled.
	var rcvbuf int
	if err := c.control("get", func(fd int) (err error) { rcvbuf, err = optRcvBuf.get(fd); return err }); err != nil || rcvbuf != 2*4096 {
		t.Errorf("SO_RCVBUF = %d, %v; want 2*4096", rcvbuf, err)
	}
	var plain Dialer
	c2, err := plain.Connect(testCtx(t), "127.0.0.1", int(ln.AddrPort().Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if nd, _ := c2.NoDelay(); !nd {
		t.Error("default NoDelay is off, want on (usocket's :nodelay t)")
	}
	if ka, _ := c2.KeepAlive(); ka {
		t.Error("default KeepAlive is on, want off (usocket's default)")
	}
}
