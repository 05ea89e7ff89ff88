package fdlife

import (
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/fdref"
)

// Watcher is the event loop's registration of the descriptor; a
// *reactor.Watcher made by WatchEdge. Release must unregister it
// synchronously, after which the loop never names the number again.
type Watcher interface{ Release() error }

// FD is one non-blocking descriptor shared by the goroutines that use it.
// Make it with Init; it must not be copied after first use.
type FD struct {
	Sysfd int // the descriptor; use it only under a reference

	w    atomic.Pointer[Watcher] // set once registered
	ref  fdref.Ref               // the goroutines using Sysfd
	user atomic.Int32            // user code running under a reference
	gone chan struct{}           // closed once the descriptor is closed
}

// Init starts guarding fd.
func (f *FD) Init(fd int) {
	f.Sysfd = fd
	f.gone = make(chan struct{})
}

// SetWatcher records the loop's registration, released before closing.
func (f *FD) SetWatcher(w Watcher) { f.w.Store(&w) }

// Acquire takes a reference; false once closing has begun.
func (f *FD) Acquire() bool { return f.ref.Acquire() }

// Release drops a reference taken by Acquire; the last one after closing
// began closes the descriptor.
func (f *FD) Release() {
	if f.ref.Release() {
		f.destroy()
	}
}

// StartClose refuses new references and closes the descriptor now if
// nobody uses it; it does nothing if closing had begun already.
func (f *FD) StartClose() {
	if f.ref.MarkClosing() {
		f.destroy()
	}
}

// Close is StartClose followed, like internal/poll's FD.Close, by waiting
// until the descriptor is closed: calls in flight were woken by the caller
// and leave without needing an event loop. It does not wait while user
// code runs under a reference (RunUser): that code may be the caller.
func (f *FD) Close() {
	f.StartClose()
	if f.user.Load() == 0 {
		<-f.gone
	}
}

// RunUser runs user code (a Control function, a responder) under a
// reference the caller holds and releases afterwards, so that a Close
// made meanwhile (perhaps by that code) does not wait for the reference
// it runs under.
func (f *FD) RunUser(fn func(fd int)) {
	f.user.Add(1)
	defer f.user.Add(-1)
	fn(f.Sysfd)
}

// destroy runs once, when closing and unused: the watcher is unregistered
// (its OnClose follows on the loop), then the descriptor closed.
func (f *FD) destroy() {
	if w := f.w.Load(); w != nil {
		_ = (*w).Release() // an error: the loop unregistered it already
	}
	closeSysfd(f.Sysfd)
	close(f.gone)
}

// Gone returns a channel closed once the descriptor is closed.
func (f *FD) Gone() <-chan struct{} { return f.gone }

// Closed reports whether the descriptor has been closed.
func (f *FD) Closed() bool {
	select {
	case <-f.gone:
		return true
	default:
		return false
	}
}
