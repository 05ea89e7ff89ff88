package reactor

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Reactor is a set of event loops that drive non-blocking sockets. Create
// one with New, or use the shared Default. All methods are safe for
// concurrent use.
type Reactor struct {
	opts  Options
	loops []*loop
	next  atomic.Uint32 // round-robin cursor for Attach and Dial
	wg    sync.WaitGroup

	mu       sync.RWMutex // guards stopping against concurrent task queueing
	stopping bool
	stopOnce sync.Once

	done chan struct{} // closed when Close or Shutdown begins stopping the loops

	draining atomic.Bool   // Shutdown is waiting for connections to close
	connGone chan struct{} // pinged (non-blocking) when a connection closes while draining

	budget memBudget   // queued output of all connections; see WithMemoryLimit
	stall  *stallWatch // wakes a loop that slept through its events (Linux)
}

// New starts a reactor with its loops running.
func New(opts ...Option) (*Reactor, error) {
	r := &Reactor{connGone: make(chan struct{}, 1), done: make(chan struct{})}
	for _, o := range opts {
		if o != nil {
			o(&r.opts)
		}
	}
	if err := r.opts.normalize(); err != nil {
		return nil, err
	}
	r.budget.init(r.opts.MemoryLimit)
	for i := 0; i < r.opts.Loops; i++ {
		l, err := newLoop(r, i)
		if err != nil {
			r.closeUnstarted()
			return nil, err
		}
		r.loops = append(r.loops, l)
	}
	r.wg.Add(len(r.loops))
	r.startStallWatch() // before the loops run: they ring it
	for _, l := range r.loops {
		go l.serve()
	}
	return r, nil
}

func (r *Reactor) closeUnstarted() {
	for _, l := range r.loops {
		l.timers.close()
		l.poller.close()
	}
	r.loops = nil
}

// Done returns a channel that is closed once the reactor begins to stop
// (Close, or the end of Shutdown). Sockets that do not live on a loop, as
// the blocking facade's do on the net backend, watch it to stop with the
// reactor.
func (r *Reactor) Done() <-chan struct{} { return r.done }

// Loops reports the number of event loops.
func (r *Reactor) Loops() int { return len(r.loops) }

// NumConns reports the number of open connections, counting those accepted
// or attached and not yet registered with their loop.
func (r *Reactor) NumConns() int {
	n := int64(0)
	for _, l := range r.loops {
		n += l.conns.Load()
	}
	return int(n)
}

// pick chooses a loop for a new connection, round robin.
func (r *Reactor) pick() *loop {
	return r.loops[int(r.next.Add(1)-1)%len(r.loops)]
}

// report hands err to the error hook, or logs it; see reportFrom.
func (r *Reactor) report(err error) { r.reportFrom(nil, netip.AddrPort{}, err) }

// stopped reports whether Close or Shutdown has begun stopping the loops.
func (r *Reactor) stopped() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.stopping
}

// Close stops the reactor at once: listeners and connections are closed
// without flushing (their handlers see OnClose with ErrClosed), every loop
// goroutine exits and every fd is released before Close returns. Calls
// after Close return ErrClosed. Close must not be called from a callback.
func (r *Reactor) Close() error {
	first := false
	r.stopOnce.Do(func() {
		first = true
		r.stopStallWatch()
		r.mu.Lock()
		r.stopping = true
		close(r.done)
		for _, l := range r.loops {
			l.trigger(stopLoopTask, nil)
		}
		r.mu.Unlock()
	})
	r.wg.Wait()
	if !first {
		return ErrClosed
	}
	return nil
}

// Shutdown stops the reactor gracefully: it closes every listener, closes
// every connection gracefully (queued output is flushed, bounded by the
// linger time), including those accepted or attached and not yet
// registered with their loop, waits until they are all closed or ctx ends,
// then calls Close. It returns ctx.Err() if ctx ended first.
func (r *Reactor) Shutdown(ctx context.Context) error {
	r.draining.Store(true)
	for _, l := range r.loops {
		_ = l.run(closeAllTask, l)
	}
	var err error
	for r.NumConns() > 0 && err == nil {
		err = r.waitDrain(ctx)
	}
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return err
}

// closeAllTask closes the loop's listeners and asks its connections to
// close gracefully.
func closeAllTask(p any) error {
	l := p.(*loop)
	for _, reg := range l.fds {
		switch v := reg.p.(type) {
		case *Conn:
			_ = v.Close()
		case *listenSocket:
			v.shutdown(ErrClosed)
		}
	}
	return nil
}

// waitDrain blocks until a connection closes or ctx ends.
func (r *Reactor) waitDrain(ctx context.Context) error {
	select {
	case <-r.connGone:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// connClosed is called on a loop whenever a connection closes.
func (r *Reactor) connClosed() {
	if r.draining.Load() {
		select {
		case r.connGone <- struct{}{}:
		default:
		}
	}
}
