//go:build unix

package reactor

import (
	"errors"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWatchEdge: an edge watcher reports each readiness change once (data
// left unread does not report again, new data does), reports the peer's
// shutdown, has fixed interest, and leaves the descriptor open on Close.
func TestWatchEdge(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	fd, peer := socketPair(t)
	var readable, writable atomic.Int32
	edges := make(chan struct{}, 16)
	wedges := make(chan struct{}, 16)
	closed := make(chan error, 1)
	w, err := r.WatchEdge(fd, &fdFuncs{
		readable: func(*Watcher) { readable.Add(1); edges <- struct{}{} },
		writable: func(*Watcher) {
			writable.Add(1)
			select {
			case wedges <- struct{}{}:
			default:
			}
		},
		close: func(_ *Watcher, err error) { closed <- err },
	})
	if watchRefused(t, err, fd) {
		return
	}
	if err != nil {
		t.Fatalf("WatchEdge: %v", err)
	}
	// The registration and a barrier task can run in one batch, before the
	// loop polls, so wait for the edge itself.
	recv(t, wedges, "OnWritable for a writable socket at registration")
	if err := w.SetInterest(true, false); !errors.Is(err, ErrEdgeWatcher) {
		t.Fatalf("SetInterest on an edge watcher = %v, want ErrEdgeWatcher", err)
	}

	if _, err := peer.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	recv(t, edges, "OnReadable")
	// Nothing is read: a level-triggered watcher would be called again on
	// every poll; two barriers make the loop poll at least twice more.
	barrier(t, w)
	barrier(t, w)
	if n := readable.Load(); n != 1 {
		t.Fatalf("OnReadable called %d times for one edge, want 1", n)
	}
	if _, err := peer.Write([]byte("def")); err != nil {
		t.Fatal(err)
	}
	recv(t, edges, "OnReadable for new data")
	buf := make([]byte, 16)
	if n, err := unix.Read(fd, buf); err != nil || string(buf[:n]) != "abcdef" {
		t.Fatalf("read %q, %v; want abcdef", buf[:n], err)
	}

	if err := peer.Close(); err != nil {
		t.Fatal(err)
	}
	recv(t, edges, "OnReadable for the peer's close")
	if n, err := unix.Read(fd, buf); n != 0 || err != nil {
		t.Fatalf("read after peer close = %d, %v; want EOF", n, err)
	}

	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v), want nil", err)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
		t.Fatalf("edge watcher closed the caller's descriptor: %v", err)
	}
	if err := unix.Close(fd); err != nil {
		t.Fatal(err)
	}
}

// TestWatchEdgeReactorClose: stopping the reactor unregisters an edge
// watcher with ErrClosed and leaves its descriptor to the caller.
func TestWatchEdgeReactorClose(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	fd, _ := socketPair(t)
	closed := make(chan error, 1)
	if _, err := r.WatchEdge(fd, &fdFuncs{close: func(_ *Watcher, err error) { closed <- err }}); watchRefused(t, err, fd) {
		return
	} else if err != nil {
		t.Fatal(err)
	}
	if _, err := r.WatchEdge(fd, nil); !errors.Is(err, ErrNilHandler) {
		t.Fatalf("WatchEdge(nil handler) = %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closed, "OnClose at reactor Close"); !isClosedErr(err) {
		t.Fatalf("OnClose(%v), want net.ErrClosed", err)
	}
	if err := unix.Close(fd); err != nil {
		t.Fatalf("closing the caller's descriptor: %v", err)
	}
	if _, err := r.WatchEdge(fd, &fdFuncs{}); !isClosedErr(err) {
		t.Fatalf("WatchEdge after Close = %v, want net.ErrClosed", err)
	}
}
