package usocket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// testTimeout bounds every blocking step of a test.
const testTimeout = 10 * time.Second

func testCtx(t *testing.T) context.Context {
	return testkit.Context(t, testTimeout)
}

// newLocalListener listens on 127.0.0.1 with an ephemeral port and closes
// the listener when the test ends.
func newLocalListener(t *testing.T) *Listener {
	t.Helper()
	ln, err := Listen(testCtx(t), "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// connPair returns a dialled and an accepted Conn joined to each other,
// both closed when the test ends.
func connPair(t *testing.T) (dialled, accepted *Conn) {
	t.Helper()
	ln := newLocalListener(t)
	d, a, err := makeConnPair(testCtx(t), ln)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(); _ = a.Close() })
	return d, a
}

func makeConnPair(ctx context.Context, ln *Listener) (*Conn, *Conn, error) {
	d, err := Connect(ctx, "127.0.0.1", int(ln.AddrPort().Port()))
	if err != nil {
		return nil, nil, err
	}
	a, err := ln.AcceptConn(ctx)
	if err != nil {
		_ = d.Close()
		return nil, nil, err
	}
	return d, a, nil
}

// waitGone waits until the reactor has closed c's descriptor.
func waitGone(t *testing.T, c *Conn) {
	t.Helper()
	select {
	case <-c.fd.Gone():
	case <-time.After(testTimeout):
		t.Fatal("connection not closed by the reactor in time")
	}
}

// stdPair returns a *net.TCPConn dialled to ln (ours) and the accepted Conn.
func stdPair(t *testing.T) (*net.TCPConn, *Conn) {
	t.Helper()
	ln := newLocalListener(t)
	var d net.Dialer
	nc, err := d.DialContext(testCtx(t), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a, err := ln.AcceptConn(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close(); _ = a.Close() })
	return nc.(*net.TCPConn), a
}

func mustWrite(t *testing.T, w io.Writer, s string) {
	t.Helper()
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// TestHalfClose: the client shuts down its write side after its request;
// the server reads to EOF, replies and closes; the client reads the reply.
func TestHalfClose(t *testing.T) {
	d, a := connPair(t)
	deadline := time.Now().Add(testTimeout)
	_ = d.SetDeadline(deadline)
	_ = a.SetDeadline(deadline)

	mustWrite(t, d, "request")
	if err := d.Shutdown(ShutdownWrite); err != nil {
		t.Fatalf("Shutdown(ShutdownWrite): %v", err)
	}
	req, err := io.ReadAll(a)
	if err != nil || string(req) != "request" {
		t.Fatalf("server read %q, %v; want the request then EOF", req, err)
	}
	mustWrite(t, a, "reply") // writing after the peer's FIN works
	if err := a.Close(); err != nil {
		t.Fatalf("server Close: %v", err)
	}
	reply, err := io.ReadAll(d)
	if err != nil || string(reply) != "reply" {
		t.Fatalf("client read %q, %v", reply, err)
	}
	if _, err := d.Write([]byte("x")); err == nil || !errors.Is(err, syscall.EPIPE) {
		t.Errorf("Write after CloseWrite: %v, want EPIPE", err)
	}
}

// TestReadEOFIsBare: after the peer closes, Read returns the data, then io.EOF
// itself (not wrapped), as the standard library does.
func TestReadEOFIsBare(t *testing.T) {
	nc, a := stdPair(t)
	_ = a.SetDeadline(time.Now().Add(testTimeout))
	mustWrite(t, nc, "bye")
	_ = nc.Close()
	buf := make([]byte, 16)
	n, err := io.ReadAtLeast(a, buf, 3)
	if err != nil || string(buf[:n]) != "bye" {
		t.Fatalf("Read %q, %v", buf[:n], err)
	}
	if _, err := a.Read(buf); err != io.EOF { //nolint:errorlint // bare io.EOF by contract
		t.Fatalf("Read at EOF = %#v, want io.EOF", err)
	}
}

// TestDeadlineWakesBlockedRead: a deadline set while Read is blocked wakes
// it with a timeout error; after clearing it the connection still works.
func TestDeadlineWakesBlockedRead(t *testing.T) {
	d, a := connPair(t)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		close(started)
		_, err := d.Read(make([]byte, 8))
		done <- err
	}()
	<-started
	if err := d.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		checkTimeout(t, err)
	case <-time.After(testTimeout):
		t.Fatal("blocked Read not woken by SetReadDeadline")
	}
	if err := d.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, a, "ok")
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout)) // only bounds the test
	buf := make([]byte, 2)
	go func() { _, err := io.ReadFull(d, buf); done <- err }()
	select {
	case err := <-done:
		if err != nil || string(buf) != "ok" {
			t.Fatalf("Read after clearing the deadline: %q, %v", buf, err)
		}
	case <-time.After(testTimeout):
		_ = d.Close()
		t.Fatal("Read after clearing the deadline blocked")
	}
}

// TestReadTimeoutOption: usocket's :receive-timeout bounds each Read and
// leaves the connection usable.
func TestReadTimeoutOption(t *testing.T) {
	d, a := connPair(t)
	if err := d.SetOption(OptionReceiveTimeout, 30*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	_, err := d.Read(make([]byte, 1))
	checkTimeout(t, err)
	mustWrite(t, a, "z")
	if err := d.SetReadTimeout(testTimeout); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := d.Read(buf); err != nil || buf[0] != 'z' {
		t.Fatalf("Read after timeout: %q %v", buf, err)
	}
	if v, err := d.Option(OptionReceiveTimeout); err != nil || v != testTimeout {
		t.Errorf("Option(receive-timeout) = %v, %v", v, err)
	}
	if err := d.SetReadTimeout(-1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SetReadTimeout(-1) = %v, want ErrInvalidArgument", err)
	}
}

// TestWriteBlocksAndTimesOut: a peer that never reads makes Write block once
// the kernel's buffers are full; the write timeout ends it, and nothing is
// queued beyond them.
func TestWriteBlocksAndTimesOut(t *testing.T) {
	nc, a := stdPair(t)
	_ = nc.SetReadBuffer(64 << 10)
	if err := a.SetWriteTimeout(200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	total, err := writeUntilError(a)
	checkTimeout(t, err)
	if total > kernelBuffers {
		t.Fatalf("wrote %d bytes to a peer that never reads, want at most %d", total, kernelBuffers)
	}
}

// writeUntilError writes 64 KiB chunks to w until a write fails or 256 MiB
// have gone out, and returns how much was written and the error.
func writeUntilError(w io.Writer) (int, error) {
	chunk := make([]byte, 64<<10)
	var total int
	var err error
	for total < 256<<20 && err == nil {
		var n int
		n, err = w.Write(chunk)
		total += n
	}
	return total, err
}

// kernelBuffers bounds what can be in flight between two loopback sockets
// when one side does not read: the sender's send buffer and the receiver's
// receive buffer (at most a few MiB each as the kernel tunes them).
const kernelBuffers = 16 << 20

// TestSlowReaderBounded: a peer sends 256 MiB to a connection nobody reads;
// the data stays in the kernel, TCP pushes back, the peer's write deadline
// fires, and the heap grows by little.
func TestSlowReaderBounded(t *testing.T) {
	nc, a := stdPair(t)
	_ = a
	before := heapInUse()
	if err := nc.SetWriteDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	total, err := writeUntilError(nc)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("peer wrote %d bytes; err %v, want its write deadline to fire", total, err)
	}
	if total > kernelBuffers {
		t.Errorf("peer wrote %d bytes to a connection nobody reads, want at most %d", total, kernelBuffers)
	}
	if grown := int64(heapInUse()) - int64(before); grown > 32<<20 {
		t.Errorf("heap grew by %d bytes", grown)
	}
	// Reading gets every byte the peer wrote.
	_ = a.SetReadDeadline(time.Now().Add(testTimeout))
	if _, err := io.ReadFull(a, make([]byte, total)); err != nil {
		t.Fatalf("draining the held-back data: %v", err)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestUseAfterClose: every call after Close reports net.ErrClosed in a
// *net.OpError, and a second Close is an error.
func TestUseAfterClose(t *testing.T) {
	d, _ := connPair(t)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	_, rerr := d.Read(make([]byte, 1))
	_, werr := d.Write([]byte("x"))
	for name, err := range map[string]error{
		"Read": rerr, "Write": werr, "Close": d.Close(), "SetDeadline": d.SetDeadline(time.Time{}),
		"SetNoDelay": d.SetNoDelay(true), "CloseWrite": d.CloseWrite(),
	} {
		var oe *net.OpError
		if !errors.As(err, &oe) || !errors.Is(err, net.ErrClosed) || !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close = %v, want *net.OpError wrapping net.ErrClosed", name, err)
		}
	}
}

// TestAbortResetsPeer: Abort sends an RST; the peer's Read reports a reset
// matching both ErrConnectionReset and syscall.ECONNRESET.
func TestAbortResetsPeer(t *testing.T) {
	d, a := connPair(t)
	if err := a.Abort(); err != nil {
		t.Fatal(err)
	}
	_ = d.SetReadDeadline(time.Now().Add(testTimeout))
	_, err := d.Read(make([]byte, 1))
	if !errors.Is(err, ErrConnectionReset) || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after peer Abort = %v, want a connection reset", err)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "read" {
		t.Errorf("err = %#v, want *net.OpError with Op read", err)
	}
}

// TestCloseFlushes: data written just before Close reaches the peer.
func TestCloseFlushes(t *testing.T) {
	nc, a := stdPair(t)
	payload := bytes.Repeat([]byte("flush"), 200_000) // ~1 MiB
	errc := make(chan error, 1)
	go func() {
		_, err := a.Write(payload)
		if err == nil {
			err = a.Close()
		}
		errc <- err
	}()
	_ = nc.SetReadDeadline(time.Now().Add(testTimeout))
	got, err := io.ReadAll(nc)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("peer got %d of %d bytes, err %v", len(got), len(payload), err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestNoFDLeft: after Close on both ends (and the listener), the process
// holds no descriptor that it did not hold before. Descriptors are told
// apart by number and target, so closes still finishing from earlier tests
// do not matter.
func TestNoFDLeft(t *testing.T) {
	if _, err := reactor.Default(); err != nil { // its fds stay while it runs
		t.Fatal(err)
	}
	before := openFDs(t)
	ln, err := Listen(testCtx(t), "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	d, a, err := makeConnPair(testCtx(t), ln)
	if err != nil {
		t.Fatal(err)
	}
	during := openFDs(t)
	mustWrite(t, d, "x")
	_ = d.Close()
	_ = a.Close()
	_ = ln.Close()
	waitGone(t, d)
	waitGone(t, a)
	if n := len(newFDs(before, during)); n < 3 {
		t.Fatalf("only %d new descriptors while open, want the listener and both ends", n)
	}
	if left := newFDs(before, openFDs(t)); len(left) > 0 {
		t.Fatalf("descriptors left after Close: %v", left)
	}
}

// openFDs maps each open descriptor to what it refers to.
func openFDs(t *testing.T) map[string]string {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("reading /proc/self/fd: %v", err)
	}
	fds := make(map[string]string, len(ents))
	for _, e := range ents {
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil {
			continue // closed meanwhile, such as ReadDir's own descriptor
		}
		fds[e.Name()] = target
	}
	return fds
}

// newFDs lists the descriptors in now that were not in before.
func newFDs(before, now map[string]string) []string {
	var fresh []string
	for fd, target := range now {
		if before[fd] != target && !strings.HasPrefix(target, "/proc/") {
			fresh = append(fresh, fd+"->"+target)
		}
	}
	return fresh
}

// TestConnAddrs: both ends report each other's addresses.
func TestConnAddrs(t *testing.T) {
	d, a := connPair(t)
	if d.LocalAddrPort() != a.RemoteAddrPort() || d.RemoteAddrPort() != a.LocalAddrPort() {
		t.Fatalf("dialled %v->%v, accepted %v->%v", d.LocalAddrPort(), d.RemoteAddrPort(), a.LocalAddrPort(), a.RemoteAddrPort())
	}
	if !d.RemoteAddrPort().Addr().Is4() {
		t.Errorf("RemoteAddrPort %v, want plain IPv4", d.RemoteAddrPort())
	}
	if _, ok := d.LocalAddr().(*net.TCPAddr); !ok {
		t.Errorf("LocalAddr is %T", d.LocalAddr())
	}
	if d.RemoteAddr().String() != a.LocalAddr().String() {
		t.Errorf("RemoteAddr %v != peer LocalAddr %v", d.RemoteAddr(), a.LocalAddr())
	}
}

// TestOptions covers the typed setters and the by-name interface.
func TestOptions(t *testing.T) {
	d, _ := connPair(t)
	for _, on := range []bool{false, true} {
		if err := d.SetNoDelay(on); err != nil {
			t.Fatal(err)
		}
		if got, err := d.Option(":TCP-NO-DELAY"); err != nil || got != on {
			t.Errorf("tcp-nodelay = %v, %v; want %v", got, err, on)
		}
		if err := d.SetOption(OptionTCPKeepAlive, on); err != nil {
			t.Fatal(err)
		}
		if got, err := d.KeepAlive(); err != nil || got != on {
			t.Errorf("KeepAlive = %v, %v; want %v", got, err, on)
		}
	}
	if err := d.SetOption(OptionSendTimeout, time.Second); err != nil || d.WriteTimeout() != time.Second {
		t.Errorf("send-timeout: %v, %v", d.WriteTimeout(), err)
	}
	for _, name := range []OptionName{"no-such-option", OptionBroadcast, OptionReuseAddress} {
		if _, err := d.Option(name); !errors.Is(err, ErrUnimplemented) {
			t.Errorf("Option(%q) = %v, want ErrUnimplemented", name, err)
		}
		if err := d.SetOption(name, true); !errors.Is(err, ErrUnimplemented) {
			t.Errorf("SetOption(%q) = %v, want ErrUnimplemented", name, err)
		}
	}
	if err := d.SetOption(OptionTCPNoDelay, "yes"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SetOption with a string = %v, want ErrInvalidArgument", err)
	}
	if err := d.Shutdown(Direction(7)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Shutdown(7) = %v, want ErrInvalidArgument", err)
	}
	if err := d.SetReadBuffer(-1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SetReadBuffer(-1) = %v", err)
	}
	if err := d.SetWriteBuffer(128 << 10); err != nil {
		t.Errorf("SetWriteBuffer: %v", err)
	}
}

// TestSyscallConn: Control reaches the descriptor; Read is unsupported.
func TestSyscallConn(t *testing.T) {
	d, _ := connPair(t)
	rc, err := d.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	fd := -1
	if err := rc.Control(func(s uintptr) { fd = int(s) }); err != nil || fd <= 2 {
		t.Fatalf("Control: fd %d, err %v", fd, err)
	}
	if err := rc.Read(func(uintptr) bool { return true }); !errors.Is(err, ErrUnsupported) {
		t.Errorf("RawConn.Read = %v, want ErrUnsupported", err)
	}
	_ = d.Close()
	if err := rc.Control(func(uintptr) {}); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Control after Close = %v", err)
	}
}

// TestCloseRead: Read returns EOF after CloseRead; writing still works.
func TestCloseRead(t *testing.T) {
	d, a := connPair(t)
	_ = a.SetDeadline(time.Now().Add(testTimeout))
	if err := d.CloseRead(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Read(make([]byte, 1)); err != io.EOF { //nolint:errorlint // bare io.EOF by contract
		t.Fatalf("Read after CloseRead = %v, want io.EOF", err)
	}
	mustWrite(t, d, "still")
	buf := make([]byte, 5)
	if _, err := io.ReadFull(a, buf); err != nil || string(buf) != "still" {
		t.Fatalf("peer read %q, %v", buf, err)
	}
}

// TestWaitlistReady: a Conn is a waitlist source that turns ready on data.
func TestWaitlistReady(t *testing.T) {
	d, a := connPair(t)
	if _, err := waitlist.Wait(testCtx(t), 0, d); !errors.Is(err, waitlist.ErrTimeout) {
		t.Fatalf("Wait on an idle conn = %v, want ErrTimeout", err)
	}
	mustWrite(t, a, "!")
	ready, err := waitlist.Wait(testCtx(t), testTimeout, d)
	if err != nil || len(ready) != 1 || ready[0] != waitlist.Source(d) {
		t.Fatalf("Wait = %v, %v", ready, err)
	}
}
