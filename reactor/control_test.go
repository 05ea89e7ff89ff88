package reactor

import (
	"errors"
	"io"
	"os"
	"strconv"
	"syscall"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
)

// fdTarget names what fd points at ("socket:[inode]"), to tell later
// whether that socket is still open, whatever number it had.
func fdTarget(fd uintptr) string {
	s, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(fd)))
	return s
}

// checkSocketGone fails if a descriptor still points at target.
func checkSocketGone(t *testing.T, target string) {
	t.Helper()
	if target == "" {
		t.Fatal("no socket recorded")
	}
	fds, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	for fd, s := range fds {
		if s == target {
			t.Fatalf("fd %d (%s) still open after OnClose: the panic in Control leaked it", fd, s)
		}
	}
}

// TestPanicInControlFromCallbackClosesFD: a panic inside Control's function,
// called from a callback, is recovered as the callback's panic, and the
// connection's descriptor is then really closed.
func TestPanicInControlFromCallbackClosesFD(t *testing.T) {
	r, sink := newTestReactor(t)
	closed := make(chan error, 1)
	var target string // loop-owned until OnClose
	h := &funcs{
		data: func(c *Conn, b []byte) {
			_ = c.Control(func(fd uintptr) {
				target = fdTarget(fd)
				panic(errBoom)
			})
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	p := dial(t, ln.Addr())
	if _, err := p.Write([]byte("panic in Control")); err != nil {
		t.Fatal(err)
	}
	sink.waitFor(t, "the panic", func(err error) bool { return errors.Is(err, errBoom) })
	if err := recv(t, closed, "OnClose"); !errors.Is(err, errBoom) {
		t.Fatalf("OnClose(%v), want the *PanicError", err)
	}
	checkSocketGone(t, target)
	if _, err := io.ReadAll(p); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("peer read %v; want EOF or a reset once the conn closed", err)
	}
}

// TestPanicInControlFromGoroutineClosesFD: a panic inside Control's
// function on a user goroutine reaches that goroutine (which recovers it)
// and does not keep the descriptor open after the connection closes.
func TestPanicInControlFromGoroutineClosesFD(t *testing.T) {
	r, _ := newTestReactor(t)
	opened := make(chan *Conn, 1)
	closed := make(chan error, 1)
	h := &funcs{
		open:  func(c *Conn) { opened <- c },
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	p := dial(t, ln.Addr())
	c := recv(t, opened, "OnOpen")
	var target string
	func() {
		defer func() {
			if v := recover(); v != errBoom {
				t.Fatalf("recovered %v, want the panic from Control's function", v)
			}
		}()
		_ = c.Control(func(fd uintptr) {
			target = fdTarget(fd)
			panic(errBoom)
		})
	}()
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	_ = p.Close()
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
	checkSocketGone(t, target)
}
