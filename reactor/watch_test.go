//go:build unix

package reactor

import (
	"errors"
	"os"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"golang.org/x/sys/unix"
)

// fdFuncs is an FDHandler built from functions.
type fdFuncs struct {
	readable func(w *Watcher)
	writable func(w *Watcher)
	close    func(w *Watcher, err error)
}

func (f *fdFuncs) OnReadable(w *Watcher) {
	if f.readable != nil {
		f.readable(w)
	}
}

func (f *fdFuncs) OnWritable(w *Watcher) {
	if f.writable != nil {
		f.writable(w)
	}
}

func (f *fdFuncs) OnClose(w *Watcher, err error) {
	if f.close != nil {
		f.close(w, err)
	}
}

// socketPair returns a non-blocking end for the reactor and a blocking end
// for the test, closed at cleanup (closing it earlier is fine).
func socketPair(t *testing.T) (watched int, peer *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	peer = os.NewFile(uintptr(fds[1]), "socketpair")
	t.Cleanup(func() { _ = peer.Close() })
	return fds[0], peer
}

// watchRefused reports whether Watch or WatchEdge was refused as the net
// backend must refuse it (netUnsupported); the descriptors stay the
// caller's then, and are closed.
func watchRefused(t *testing.T, err error, fds ...int) bool {
	t.Helper()
	if !netUnsupported(t, err) {
		return false
	}
	for _, fd := range fds {
		_ = unix.Close(fd)
	}
	return true
}

// barrier returns once every task queued on w's loop before it has run.
func barrier(t *testing.T, w *Watcher) {
	t.Helper()
	done := make(chan struct{})
	if err := w.Execute(func() { close(done) }); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	recv(t, done, "Execute barrier")
}

func TestWatcherOnSocketPair(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	fd, peer := socketPair(t)
	reads := make(chan string, 16)
	writable := make(chan struct{}, 1)
	closed := make(chan error, 1)
	h := &fdFuncs{
		readable: func(w *Watcher) {
			buf := make([]byte, 64)
			n, err := unix.Read(w.FD(), buf)
			if err == nil {
				reads <- string(buf[:n])
			}
		},
		writable: func(w *Watcher) {
			select {
			case writable <- struct{}{}:
			default:
			}
		},
		close: func(w *Watcher, err error) { closed <- err },
	}
	w, err := r.Watch(fd, h)
	if watchRefused(t, err, fd) {
		return
	}
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	if _, err := peer.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	if s := recv(t, reads, "OnReadable"); s != "abc" {
		t.Fatalf("read %q, want abc", s)
	}

	if err := w.SetInterest(false, true); err != nil {
		t.Fatalf("SetInterest(write): %v", err)
	}
	recv(t, writable, "OnWritable")
	if err := w.SetInterest(false, false); err != nil {
		t.Fatalf("SetInterest(none): %v", err)
	}
	barrier(t, w)
	if _, err := peer.Write([]byte("def")); err != nil {
		t.Fatal(err)
	}
	barrier(t, w)
	select {
	case s := <-reads:
		t.Fatalf("OnReadable (%q) with read interest off", s)
	default:
	}
	if err := w.SetInterest(true, false); err != nil {
		t.Fatalf("SetInterest(read): %v", err)
	}
	if s := recv(t, reads, "OnReadable after re-enabling"); s != "def" {
		t.Fatalf("read %q, want def", s)
	}

	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
	if err := w.Close(); !isClosedErr(err) {
		t.Fatalf("second Close = %v, want net.ErrClosed", err)
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	// Only the test's own end may remain.
	if diff := testkit.FDDiff(before, after); len(diff) != 1 {
		t.Fatalf("after Close, new fds = %q; want only the test's end of the pair", diff)
	}
}

func TestWatcherPanicAndReactorClose(t *testing.T) {
	r, sink := newTestReactor(t, WithLoops(1))
	fdA, peerA := socketPair(t)
	fdB, _ := socketPair(t)
	closedA := make(chan error, 1)
	closedB := make(chan error, 1)
	wa, err := r.Watch(fdA, &fdFuncs{
		readable: func(*Watcher) { panic(errBoom) },
		close:    func(_ *Watcher, err error) { closedA <- err },
	})
	if watchRefused(t, err, fdA, fdB) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Watch(fdB, &fdFuncs{close: func(_ *Watcher, err error) { closedB <- err }}); err != nil {
		t.Fatal(err)
	}
	if _, err := peerA.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	var pe *PanicError
	if err := recv(t, closedA, "OnClose of the panicking watcher"); !errors.As(err, &pe) || !errors.Is(err, errBoom) {
		t.Fatalf("OnClose(%v), want *PanicError wrapping errBoom", err)
	}
	sink.waitFor(t, "*PanicError", func(err error) bool { return errors.Is(err, errBoom) })
	if err := wa.Close(); !isClosedErr(err) {
		t.Fatalf("Close after the panic closed it = %v, want net.ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closedB, "OnClose at reactor Close"); !isClosedErr(err) {
		t.Fatalf("OnClose(%v) when the reactor stopped, want net.ErrClosed", err)
	}
}
