//go:build unix

package reactor

import (
	"os"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWatchEdgeReleaseReusedNumber: after Release the loop never names the
// descriptor's number for that watcher again, even when Release came
// before the loop registered it and the caller closed the descriptor and
// the number was reused at once: the new owner's watcher gets its events,
// the released one gets none, only OnClose.
func TestWatchEdgeReleaseReusedNumber(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	block, stop := make(chan struct{}), make(chan struct{})
	keep, keepPeer := socketPair(t)
	defer unix.Close(keep)
	_ = keepPeer
	kw, err := r.WatchEdge(keep, &fdFuncs{})
	if netUnsupported(t, err) {
		return // keep is closed by the defer above
	}
	if err != nil {
		t.Fatal(err)
	}
	defer kw.Release()
	// Hold the loop so that the registration below is still pending.
	if err := kw.Execute(func() { close(block); <-stop }); err != nil {
		t.Fatal(err)
	}
	recv(t, block, "the loop to block")

	old, oldPeer := socketPair(t)
	var stale atomic.Int32
	oldClosed := make(chan error, 1)
	ow, err := r.WatchEdge(old, &fdFuncs{
		readable: func(*Watcher) { stale.Add(1) },
		writable: func(*Watcher) { stale.Add(1) },
		close:    func(_ *Watcher, err error) { oldClosed <- err },
	})
	if err != nil {
		close(stop)
		t.Fatal(err)
	}
	if err := ow.Release(); err != nil {
		close(stop)
		t.Fatalf("Release: %v", err)
	}
	_ = unix.Close(old)
	_ = oldPeer.Close()

	// The new socket most likely gets the same number.
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0) // no SOCK_NONBLOCK on macOS
	if err != nil {
		close(stop)
		t.Fatal(err)
	}
	for _, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			close(stop)
			t.Fatal(err)
		}
	}
	peer := os.NewFile(uintptr(fds[1]), "peer")
	defer peer.Close()
	defer unix.Close(fds[0])
	edges := make(chan struct{}, 16)
	nw, err := r.WatchEdge(fds[0], &fdFuncs{readable: func(*Watcher) { edges <- struct{}{} }})
	if err != nil {
		close(stop)
		t.Fatal(err)
	}
	defer nw.Release()
	close(stop)

	recv(t, oldClosed, "OnClose of the released watcher")
	if _, err := peer.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	recv(t, edges, "OnReadable on the new socket")
	barrier(t, nw)
	if n := stale.Load(); n != 0 {
		t.Fatalf("the released watcher got %d events (number %d reused: %v)", n, old, old == fds[0])
	}
}
