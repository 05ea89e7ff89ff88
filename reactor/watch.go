package reactor

import (
	"net/netip"
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/unix"
)

// FDHandler receives readiness for a raw descriptor given to Watch or
// WatchEdge. Its methods run on the watcher's loop and must not block.
type FDHandler interface {
	// OnReadable is called while the descriptor is readable and read
	// interest is on (level-triggered: read until EAGAIN or it fires
	// again). For an edge watcher it is called once per edge instead; see
	// WatchEdge.
	OnReadable(w *Watcher)
	// OnWritable is called while the descriptor is writable and write
	// interest is on, or once per edge for an edge watcher.
	OnWritable(w *Watcher)
	// OnClose is called once, after the descriptor was closed by Close or
	// because the reactor stopped (err is then ErrClosed). For an edge
	// watcher the descriptor is then unregistered but still open: the
	// caller closes it.
	OnClose(w *Watcher, err error)
}

// Watcher is a raw non-blocking descriptor (a UDP socket, a pipe...) driven
// by a loop. Packages built on the reactor use it for sockets that are not
// TCP streams.
type Watcher struct {
	loop   *loop
	fd     int
	h      FDHandler
	events uint32        // loop-owned
	want   atomic.Uint32 // requested interest
	closed atomic.Bool
	gone   bool         // loop-owned: fd closed (an edge watcher's: unregistered)
	edge   bool         // registered once, edge-triggered; the caller owns fd
	reg    atomic.Int32 // an edge watcher's registration: see Release
	local  bool         // the handler wakes no goroutine (LoopOnly)
	// lendable: the handler does short work and wakes goroutines (Lendable)
	lendable bool
	// waitersOnly: only callers that wait for its edges need them
	// (Lendable(WaitersOnly()))
	waitersOnly bool
	observed    bool // loop-owned: a wait list follows its edges (SetObserved)
}

// WatchOption tunes a Watcher.
type WatchOption func(*Watcher)

// LoopOnly says the handler does all its work on the loop and wakes no
// goroutine (a responder that answers datagrams in OnReadable, say). With
// IdleWaitAuto the loop then keeps blocking in epoll_wait after serving
// it, the faster wake-up for peers in other processes, instead of parking
// in the Go runtime poller for the sake of a woken goroutine.
func LoopOnly() WatchOption { return func(w *Watcher) { w.local = true } }

// Watch hands fd, which must be non-blocking, to a loop; the Watcher owns
// it from now on and closes it. Read interest starts on. On the net
// backend (Windows, or the usocket_netstd build tag) there are no raw
// descriptors to watch: Watch returns an *UnsupportedError.
func (r *Reactor) Watch(fd int, h FDHandler, opts ...WatchOption) (*Watcher, error) {
	if h == nil {
		return nil, ErrNilHandler
	}
	if !rawFDs {
		return nil, unsupported("Watch")
	}
	if fd < 0 {
		return nil, wrapSyscall("watch", unix.EBADF)
	}
	w := &Watcher{loop: r.pick(), fd: fd, h: h}
	for _, o := range opts {
		if o != nil {
			o(w)
		}
	}
	w.want.Store(readEvents)
	if err := w.loop.run(registerWatchTask, w); err != nil {
		return nil, err
	}
	return w, nil
}

// WatchEdge registers fd, which must be non-blocking, with a loop in
// edge-triggered mode, for callers that do the I/O themselves from other
// goroutines (a blocking facade in the style of Go's own poller). The
// interest is EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, set once: there is no
// epoll_ctl and no task per operation. The loop calls OnReadable when the
// descriptor becomes readable (new data, the peer's FIN, an error or a
// hang-up) and OnWritable when it becomes writable (or errs or hangs up).
// An edge is reported once: a caller that gets EAGAIN waits for the next
// call, which comes for any readiness that arrives after the EAGAIN (epoll
// also reports the state at registration). SetInterest does not apply.
//
// Unlike Watch, the Watcher does not own fd: Close and the reactor stopping
// only unregister it, and OnClose says so; the caller closes fd after
// OnClose, once no goroutine uses it any more, or at once after Release.
// Options (LoopOnly) apply as for Watch. On the net backend WatchEdge
// returns an *UnsupportedError, as Watch does.
func (r *Reactor) WatchEdge(fd int, h FDHandler, opts ...WatchOption) (*Watcher, error) {
	if h == nil {
		return nil, ErrNilHandler
	}
	if !rawFDs {
		return nil, unsupported("WatchEdge")
	}
	if fd < 0 {
		return nil, wrapSyscall("watch", unix.EBADF)
	}
	w := &Watcher{loop: r.pick(), fd: fd, h: h, edge: true}
	for _, o := range opts {
		if o != nil {
			o(w)
		}
	}
	w.want.Store(edgeEvents)
	if err := w.loop.run(registerWatchTask, w); err != nil {
		return nil, err
	}
	return w, nil
}

func registerWatchTask(p any) error {
	w := p.(*Watcher)
	if w.edge && !w.reg.CompareAndSwap(regPending, regAdding) {
		w.closeNow(nil) // released before it was registered: fd is not ours
		return nil
	}
	defer w.reg.CompareAndSwap(regAdding, regAdded)
	if err := w.loop.add(w.fd, w, 0); err != nil {
		w.closeNow(err)
		return nil
	}
	w.apply()
	return nil
}

// FD returns the descriptor. Use it only on the watcher's loop (in an
// FDHandler method or Execute), where it cannot be closed under you; an
// edge watcher's caller, who closes the descriptor, may use it anywhere
// until then.
func (w *Watcher) FD() int { return w.fd }

// SetInterest chooses which readiness to report. Safe from any goroutine.
// An edge watcher reports both, always: for it SetInterest does nothing and
// returns ErrEdgeWatcher.
func (w *Watcher) SetInterest(read, write bool) error {
	if w.edge {
		return ErrEdgeWatcher
	}
	var ev uint32
	if read {
		ev |= readEvents
	}
	if write {
		ev |= writeEvents
	}
	if w.want.Swap(ev) == ev {
		return nil
	}
	return w.loop.run(applyWatchTask, w)
}

func applyWatchTask(p any) error {
	p.(*Watcher).apply()
	return nil
}

func (w *Watcher) apply() {
	if w.gone {
		return
	}
	want := w.want.Load()
	if err := w.loop.setEvents(w.fd, w.events, want); err != nil {
		w.closeNow(err)
		return
	}
	w.events = want
}

// Execute runs f on the watcher's loop. A panic in f is handled as one in
// an FDHandler method: it is reported and the watcher closed. A nil f gives
// ErrNilHandler. Once Close was called or the watcher ended, Execute
// returns ErrClosed; and f does not run if OnClose came before its turn.
func (w *Watcher) Execute(f func()) error {
	if f == nil {
		return ErrNilHandler
	}
	if w.closed.Load() {
		return ErrClosed
	}
	return w.loop.run(watchExecTask, &watchFunc{w: w, f: f})
}

type watchFunc struct {
	w *Watcher
	f func()
}

func watchExecTask(p any) error {
	x := p.(*watchFunc)
	if !x.w.gone {
		x.w.call(func(*Watcher) { x.f() })
	}
	return nil
}

// Close closes the descriptor on its loop; OnClose follows. A second Close
// returns ErrClosed.
func (w *Watcher) Close() error {
	if w.closed.Swap(true) {
		return ErrClosed
	}
	return w.loop.run(closeWatchTask, w)
}

func closeWatchTask(p any) error {
	p.(*Watcher).closeNow(nil)
	return nil
}

func (w *Watcher) onEvent(ev uint32) {
	if !w.local {
		w.loop.poller.park = true // its handler is likely to wake a goroutine
	}
	if ev&(writeEvents|errEvents) != 0 && w.events&writeEvents != 0 {
		w.call(w.h.OnWritable)
	}
	if !w.gone && ev&(readEvents|evRdHup|errEvents) != 0 && w.events&readEvents != 0 {
		w.call(w.h.OnReadable)
	}
}

func (w *Watcher) call(f func(*Watcher)) {
	defer func() {
		if v := recover(); v != nil {
			err := newPanicError(v)
			w.loop.stats.panics.Add(1)
			w.loop.r.reportFrom(w.loop, netip.AddrPort{}, err)
			w.closeNow(err)
		}
	}()
	f(w)
}

func (w *Watcher) closeNow(err error) {
	if w.gone {
		return
	}
	w.gone = true
	w.closed.Store(true)
	switch {
	case !w.edge:
		w.loop.forget(w.fd, w.events)
	case w.reg.Swap(regReleased) == regReleased:
		// The caller unregistered fd and may have closed it; the number
		// may belong to another socket now. Clear only our own slot.
		w.loop.clearSlotOf(w.fd, w)
	default:
		w.loop.forget(w.fd, w.events)
	}
	w.events = 0
	if !w.edge {
		_ = unix.Close(w.fd)
	}
	defer func() {
		if v := recover(); v != nil {
			w.loop.stats.panics.Add(1)
			w.loop.r.reportFrom(w.loop, netip.AddrPort{}, newPanicError(v))
		}
	}()
	w.h.OnClose(w, err)
}

func (w *Watcher) shutdown(err error) { w.closeNow(err) }
