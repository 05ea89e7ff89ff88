//go:build unix && !usocket_netstd

package reactor

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// setEventHook installs f as l's per-event test hook, on the loop.
func setEventHook(t *testing.T, l *loop, f func(fd int)) {
	t.Helper()
	done := make(chan struct{})
	if err := l.run(func(any) error { l.poller.testHook = f; close(done); return nil }, nil); err != nil {
		t.Fatal(err)
	}
	recv(t, done, "hook installed")
}

// spareSocket returns a duplicate of the server side of a fresh loopback
// TCP connection, and the client side (its peer).
func spareSocket(t *testing.T) (int, *net.TCPConn) {
	t.Helper()
	sl, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	peer := dial(t, sl.Addr())
	sc, err := sl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	fd, err := takeFD(sc)
	_ = sc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	return fd, peer
}

// TestStaleEventDoesNotReachReusedFD: within one poll batch, connection X
// is closed (as an idle timer or a callback would) and a new connection
// gets X's descriptor number before X's queued event (its peer's reset) is
// dispatched. That event belongs to X's registration: the new connection,
// paused in OnOpen as a proxy's would be, must neither see it nor be closed
// with a made-up error.
func TestStaleEventDoesNotReachReusedFD(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	l := r.loops[0]
	xOpened := make(chan *Conn, 1)
	xClosed := make(chan error, 1)
	ln := listen(t, r, &funcs{
		open:  func(c *Conn) { xOpened <- c },
		close: func(c *Conn, err error) { xClosed <- err },
	})
	px := dial(t, ln.Addr())
	x := recv(t, xOpened, "X's OnOpen")

	spare, peer := spareSocket(t)
	yOpened := make(chan *Conn, 1)
	yClosed := make(chan error, 1)
	hy := &funcs{
		open: func(c *Conn) {
			_ = c.PauseRead()
			yOpened <- c
		},
		close: func(c *Conn, err error) { yClosed <- err },
	}
	swapped := make(chan struct{})
	setEventHook(t, l, func(fd int) {
		if fd != x.fd || x.state&stClosed != 0 {
			return
		}
		x.closeNow(ErrIdleTimeout) // X goes, its event still queued in this batch
		if err := dupOnto(spare, fd); err != nil {
			t.Errorf("dup onto X's fd: %v", err)
			return
		}
		_ = unix.Close(spare)
		newConn(l, fd, hy, netip.AddrPort{}).open()
		close(swapped)
	})

	// X's peer resets: X's fd becomes readable with EPOLLERR|EPOLLHUP.
	if err := px.SetLinger(0); err != nil {
		t.Fatal(err)
	}
	_ = px.Close()
	recv(t, swapped, "X's event")
	if err := recv(t, xClosed, "X's OnClose"); !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("X closed with %v, want the ErrIdleTimeout the hook gave", err)
	}
	y := recv(t, yOpened, "new conn's OnOpen")

	// The new connection is healthy: it writes, and nothing closed it.
	if _, err := y.Write([]byte("still here")); err != nil {
		t.Fatalf("Write on the new conn: %v; its OnClose: %v", err, recv(t, yClosed, "new conn's OnClose"))
	}
	got := make([]byte, len("still here"))
	if _, err := readFull(peer, got); err != nil || string(got) != "still here" {
		select {
		case err := <-yClosed:
			t.Fatalf("new conn on X's fd number was closed by X's stale event: OnClose(%v)", err)
		default:
		}
		t.Fatalf("peer read %q, %v; want the new conn's write", got, err)
	}
	select {
	case err := <-yClosed:
		t.Fatalf("new conn on X's fd number was closed by X's stale event: OnClose(%v)", err)
	default:
	}
	_ = y.Close()
	_ = peer.Close()
	if err := recv(t, yClosed, "new conn's OnClose"); err != nil {
		t.Fatalf("new conn's OnClose(%v) after a clean close, want nil", err)
	}
}
