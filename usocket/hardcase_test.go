//go:build unix

package usocket

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// gateSecondEAGAIN installs testHookAfterEAGAIN for op: the first caller
// to get EAGAIN passes (after signalling first), the second signals second
// and then waits for release before it may announce that it waits. The
// hook is removed when the test ends.
func gateSecondEAGAIN(t *testing.T, op string) (first, second chan struct{}, release func()) {
	first, second = make(chan struct{}), make(chan struct{})
	gate := make(chan struct{})
	var n atomic.Int32
	setHook(func(got string) {
		if got != op {
			return
		}
		switch n.Add(1) {
		case 1:
			close(first)
		case 2:
			close(second)
			<-gate
		}
	})
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() {
		release()
		testHookAfterEAGAIN.Store(nil)
	})
	return first, second, release
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	testkit.WaitFor(t, ch, what, testTimeout)
}

// TestConcurrentReadNoLostWakeup (issue 12 #3): two Reads wait on one
// Conn; one write brings two bytes in one edge. The first Read takes one
// byte; the second, which got EAGAIN before the edge but announced that
// it waits only after the first took its byte, must still see the edge
// and read the other byte instead of parking with data in the kernel.
func TestConcurrentReadNoLostWakeup(t *testing.T) {
	d, a := connPair(t)
	first, second, release := gateSecondEAGAIN(t, "read")
	if err := a.SetReadTimeout(testTimeout); err != nil { // wakes nobody, unlike a deadline
		t.Fatal(err)
	}
	type res struct {
		b   byte
		err error
	}
	results := make(chan res, 2)
	read := func() {
		b := make([]byte, 1)
		_, err := a.Read(b)
		results <- res{b[0], err}
	}
	go read()
	waitFor(t, first, "the first Read's EAGAIN")
	go read()
	waitFor(t, second, "the second Read's EAGAIN")
	mustWrite(t, d, "xy") // one segment, one edge
	r1 := <-results
	if r1.err != nil {
		t.Fatalf("first Read: %v", r1.err)
	}
	release()
	r2 := <-results
	if r2.err != nil {
		t.Fatalf("second Read: %v (a lost wake-up: it parked with a byte in the socket)", r2.err)
	}
	if got := string([]byte{r1.b, r2.b}); got != "xy" {
		t.Errorf("read %q, want \"xy\"", got)
	}
}

// loopWatcher is a watcher on a pipe registered with r, for running
// functions on r's loop; released when the test ends.
func loopWatcher(t *testing.T, r *reactor.Reactor) *reactor.Watcher {
	t.Helper()
	p := make([]int, 2)
	if err := unix.Pipe(p); err != nil { // no pipe2 on macOS
		t.Fatal(err)
	}
	if err := unix.SetNonblock(p[0], true); err != nil {
		t.Fatal(err)
	}
	w, err := r.WatchEdge(p[0], nopFD{})
	if err != nil && netUnsupported(t, err) {
		// The net backend: facade sockets are not on a loop at all.
		_ = unix.Close(p[0])
		_ = unix.Close(p[1])
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = w.Release()
		_ = unix.Close(p[0])
		_ = unix.Close(p[1])
	})
	return w
}

// blockLoop runs a function on r's only loop that blocks it until the
// returned func is called, so that readiness piles up into one edge.
func blockLoop(t *testing.T, r *reactor.Reactor) (unblock func()) {
	t.Helper()
	w := loopWatcher(t, r)
	if w == nil {
		return func() {} // no loop to block: the facade does not use one
	}
	started, stop := make(chan struct{}), make(chan struct{})
	if err := w.Execute(func() { close(started); <-stop }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, started, "the loop to block")
	var once sync.Once
	unblock = func() { once.Do(func() { close(stop) }) }
	t.Cleanup(unblock)
	return unblock
}

type nopFD struct{}

func (nopFD) OnReadable(*reactor.Watcher)     {}
func (nopFD) OnWritable(*reactor.Watcher)     {}
func (nopFD) OnClose(*reactor.Watcher, error) {}

// oneLoopReactor is a reactor with one loop, closed when the test ends.
func oneLoopReactor(t *testing.T) *reactor.Reactor {
	t.Helper()
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// TestConcurrentAcceptNoLostWakeup (issue 12 #3): two Accepts wait; two
// connections arrive in one edge. The second Accept got EAGAIN before the
// edge and announces that it waits only after the first Accept returned;
// it must take the second connection, not park with it in the backlog.
func TestConcurrentAcceptNoLostWakeup(t *testing.T) {
	r := oneLoopReactor(t)
	lc := ListenConfig{Reactor: r}
	ln, err := lc.Listen(testCtx(t), "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	first, second, release := gateSecondEAGAIN(t, "accept")
	ctx := testCtx(t)
	results := make(chan error, 2)
	accept := func() {
		c, err := ln.AcceptConn(ctx)
		if err == nil {
			_ = c.Close()
		}
		results <- err
	}
	go accept()
	waitFor(t, first, "the first Accept's EAGAIN")
	go accept()
	waitFor(t, second, "the second Accept's EAGAIN")
	unblock := blockLoop(t, r)
	for range 2 {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
	}
	unblock() // both connections are in the backlog: one edge
	if err := <-results; err != nil {
		t.Fatalf("first Accept: %v", err)
	}
	release()
	if err := <-results; err != nil {
		t.Fatalf("second Accept: %v (a lost wake-up: it parked with a connection in the backlog)", err)
	}
}

// TestCloseIsSynchronous (issue 12 #6): with no call in flight, Close,
// Abort and Listener.Close have closed the descriptor when they return,
// as *net.TCPConn does; repeated so that a lucky loop cannot pass it.
func TestCloseIsSynchronous(t *testing.T) {
	ctx := testCtx(t)
	for i := range 200 {
		ln, err := Listen(ctx, "127.0.0.1", AutoPort)
		if err != nil {
			t.Fatal(err)
		}
		d, a, err := makeConnPair(ctx, ln)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 { // used, or fresh from Dial and Accept
			mustWrite(t, d, "x")
			if _, err := a.Read(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
		}
		type closer struct {
			name string
			fd   int
			f    func() error
		}
		for _, c := range []closer{{"Conn.Close", osFD(t, d.fd.Sysfd), d.Close}, {"Conn.Abort", osFD(t, a.fd.Sysfd), a.Abort}, {"Listener.Close", osFD(t, ln.fd.Sysfd), ln.Close}} {
			ino := testkit.Inode(t, c.fd)
			if err := c.f(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if testkit.StillOpen(c.fd, ino) {
				t.Fatalf("round %d: %s returned with the descriptor still open", i, c.name)
			}
		}
	}
}

// TestCloseFromCallback (issue 12 #7): Close of a Listener and of a Conn
// called on their own event loop (from a reactor callback) returns, with
// the descriptor closed, instead of waiting for that loop.
func TestCloseFromCallback(t *testing.T) {
	r := oneLoopReactor(t)
	lc := ListenConfig{Reactor: r}
	ctx := testCtx(t)
	ln, err := lc.Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	d, a, err := makeConnPair(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	w := loopWatcher(t, r)
	if w == nil {
		return // the net backend: no loop runs the facade's sockets
	}
	done := make(chan error, 1)
	if err := w.Execute(func() { done <- errors.Join(ln.Close(), a.Close()) }); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(testTimeout):
		t.Fatal("Close called on the loop did not return: it waits for its own loop")
	}
	if !ln.fd.Closed() || !a.fd.Closed() {
		t.Error("descriptors still open after Close returned")
	}
}

// TestQueuedWriteHonoursTimeout (issue 12): a Write waiting for another
// Write to finish is bounded by its own write timeout.
func TestQueuedWriteHonoursTimeout(t *testing.T) {
	_, a := connPair(t) // the peer never reads
	blocked := make(chan struct{})
	var once sync.Once
	setHook(func(op string) {
		if op == "write" {
			once.Do(func() { close(blocked) })
		}
	})
	t.Cleanup(func() { testHookAfterEAGAIN.Store(nil) })
	first := make(chan error, 1)
	go func() {
		_, err := a.Write(make([]byte, 64<<20)) // fills the socket and waits
		first <- err
	}()
	waitFor(t, blocked, "the first Write to block")
	if err := a.SetWriteTimeout(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		_, err := a.Write([]byte("x"))
		second <- err
	}()
	select {
	case err := <-second:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("queued Write = %v, want a timeout", err)
		}
	case <-time.After(testTimeout):
		t.Error("queued Write ignored its write timeout")
	}
	_ = a.Close()
	if err := <-first; !errors.Is(err, net.ErrClosed) {
		t.Errorf("first Write after Close = %v, want net.ErrClosed", err)
	}
}

// TestReceiveBufferAutotuned (issue 13 #2): by default a Conn, dialled or
// accepted, leaves SO_RCVBUF alone (the kernel autotunes it), as a socket
// from net.Dial does; ReadBufferLimit sets it when asked.
func TestReceiveBufferAutotuned(t *testing.T) {
	ctx := testCtx(t)
	ln := newLocalListener(t)
	var nd net.Dialer
	std, err := nd.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer std.Close()
	a, err := ln.AcceptConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var want int
	raw, _ := std.(*net.TCPConn).SyscallConn()
	_ = raw.Control(func(fd uintptr) { want, err = optRcvBuf.getRaw(int(fd)) })
	if err != nil {
		t.Fatal(err)
	}
	d, _ := connPair(t)
	for name, c := range map[string]*Conn{"dialled": d, "accepted": a} {
		var got int
		if err := c.control("get", func(fd int) (err error) { got, err = optRcvBuf.get(fd); return err }); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s Conn: SO_RCVBUF = %d, want the default %d (autotuning on)", name, got, want)
		}
	}
	lc := ListenConfig{ReadBufferLimit: 8192}
	ln2, err := lc.Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	d2, a2, err := makeConnPair(ctx, ln2)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	defer a2.Close()
	var got int
	if err := a2.control("get", func(fd int) (err error) { got, err = optRcvBuf.get(fd); return err }); err != nil {
		t.Fatal(err)
	}
	if got != 2*8192 { // Linux reports the value doubled
		t.Errorf("accepted Conn with ReadBufferLimit 8192: SO_RCVBUF = %d, want %d", got, 2*8192)
	}
}

// TestEveryMethodAfterClose (issue 13 #4): every method of a closed Conn
// and Listener that can fail returns net.ErrClosed inside a *net.OpError.
func TestEveryMethodAfterClose(t *testing.T) {
	ctx := testCtx(t)
	ln, err := Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	d, a, err := makeConnPair(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Close()
	_ = d.Close()
	_ = ln.Close()
	val := func(_ any, err error) error { return err }
	b := []byte("x")
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"Conn.Read", val(d.Read(b))},
		{"Conn.Write", val(d.Write(b))},
		{"Conn.Close", d.Close()},
		{"Conn.Abort", d.Abort()},
		{"Conn.CloseRead", d.CloseRead()},
		{"Conn.CloseWrite", d.CloseWrite()},
		{"Conn.Shutdown", d.Shutdown(ShutdownBoth)},
		{"Conn.SetDeadline", d.SetDeadline(time.Time{})},
		{"Conn.SetReadDeadline", d.SetReadDeadline(time.Time{})},
		{"Conn.SetWriteDeadline", d.SetWriteDeadline(time.Time{})},
		{"Conn.SetReadTimeout", d.SetReadTimeout(time.Second)},
		{"Conn.SetWriteTimeout", d.SetWriteTimeout(time.Second)},
		{"Conn.SetNoDelay", d.SetNoDelay(true)},
		{"Conn.NoDelay", val(d.NoDelay())},
		{"Conn.SetKeepAlive", d.SetKeepAlive(true)},
		{"Conn.KeepAlive", val(d.KeepAlive())},
		{"Conn.SetReadBuffer", d.SetReadBuffer(4096)},
		{"Conn.SetWriteBuffer", d.SetWriteBuffer(4096)},
		{"Conn.Option", val(d.Option(OptionTCPNoDelay))},
		{"Conn.Option(timeout)", val(d.Option(OptionReceiveTimeout))},
		{"Conn.SetOption", d.SetOption(OptionTCPNoDelay, true)},
		{"Conn.SetOption(timeout)", d.SetOption(OptionSendTimeout, time.Second)},
		{"Conn.SyscallConn", val(d.SyscallConn())},
		{"Listener.Accept", val(ln.Accept())},
		{"Listener.AcceptConn", val(ln.AcceptConn(ctx))},
		{"Listener.Close", ln.Close()},
		{"Listener.SetDeadline", ln.SetDeadline(time.Time{})},
		{"Listener.Option", val(ln.Option(OptionReuseAddress))},
		{"Listener.SetOption", ln.SetOption(OptionReuseAddress, true)},
	} {
		var oe *net.OpError
		if !errors.As(tt.err, &oe) || !errors.Is(tt.err, net.ErrClosed) || !errors.Is(tt.err, ErrClosed) {
			t.Errorf("%s after Close = %v, want *net.OpError wrapping net.ErrClosed", tt.name, tt.err)
		}
	}
}

// TestDroppedConnIsClosed (issue 12 #8): a Conn and a Listener dropped
// without Close are collected and their descriptors closed by a cleanup:
// the event loop does not keep them alive.
func TestDroppedConnIsClosed(t *testing.T) {
	ctx := testCtx(t)
	ln, err := Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	d, a, err := makeConnPair(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fds := []int{osFD(t, d.fd.Sysfd), osFD(t, ln.fd.Sysfd)}
	inos := []uint64{testkit.Inode(t, fds[0]), testkit.Inode(t, fds[1])}
	d, ln = nil, nil
	deadline := time.Now().Add(testTimeout)
	for i := range fds {
		for testkit.StillOpen(fds[i], inos[i]) {
			if time.Now().After(deadline) {
				t.Fatalf("descriptor %d of a dropped socket still open: nothing collected it", fds[i])
			}
			runtime.GC()
			runtime.Gosched()
		}
	}
	// The peer sees the dropped Conn's close.
	if err := a.SetReadDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("peer Read = %v, want io.EOF", err)
	}
}

// TestDroppedConnInListIsClosed (issue 12 #8): a Conn dropped together with
// the waitlist.List holding it is still collected and closed: the Signal
// the event loop reaches holds its Lists only weakly.
func TestDroppedConnInListIsClosed(t *testing.T) {
	d, a := dropPair(t)
	defer a.Close()
	if _, err := waitlist.New(d); err != nil { // the List is dropped at once
		t.Fatal(err)
	}
	fd := osFD(t, d.fd.Sysfd)
	ino := testkit.Inode(t, fd)
	d = nil
	deadline := time.Now().Add(testTimeout)
	for testkit.StillOpen(fd, ino) {
		if time.Now().After(deadline) {
			t.Fatal("a Conn dropped with its waitlist.List was never collected")
		}
		runtime.GC()
		runtime.Gosched()
	}
}

// dropPair returns a dialled Conn that the test may drop (nothing else
// refers to it) and the accepted one; the listener is closed.
func dropPair(t *testing.T) (d, a *Conn) {
	t.Helper()
	ctx := testCtx(t)
	ln, err := Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d, a, err = makeConnPair(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	return d, a
}

// setHook installs f as testHookAfterEAGAIN.
func setHook(f func(op string)) { testHookAfterEAGAIN.Store(&f) }
