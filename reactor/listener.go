package reactor

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/unix"
)

// ListenOption tunes a listener.
type ListenOption func(*listenOptions)

type listenOptions struct {
	reusePort bool
	backlog   int
	control   func(network, address string, c syscall.RawConn) error
}

// WithReusePort gives every loop its own SO_REUSEPORT listening socket, so
// the kernel spreads new connections and each loop accepts its own.
func WithReusePort() ListenOption { return func(o *listenOptions) { o.reusePort = true } }

// WithBacklog sets the listen backlog (default: the system's somaxconn).
func WithBacklog(n int) ListenOption { return func(o *listenOptions) { o.backlog = n } }

// WithListenControl runs f on the socket before bind, as
// net.ListenConfig.Control does, for socket options.
func WithListenControl(f func(network, address string, c syscall.RawConn) error) ListenOption {
	return func(o *listenOptions) { o.control = f }
}

// Listener accepts TCP or unix domain connections on the reactor's loops and
// hands each to its Handler. Safe for concurrent use.
type Listener struct {
	r     *Reactor
	h     Handler
	addr  net.Addr
	socks []*listenSocket
	once  sync.Once
	file  string // the unix socket file to remove on Close, if we made it
}

// Listen binds and listens on address and starts accepting on the loops.
// Accepted connections are spread over the loops. network is "tcp",
// "tcp4" or "tcp6" (port 0 picks a free port, which Addr reports), or
// "unix" for a unix domain stream socket at the path address: as with
// net.Listen, a name starting with "@" is an abstract one on Linux, and the
// socket file Listen creates is removed by Close. A path longer than
// MaxUnixPath gives a *UnixPathError; WithReusePort does not apply to
// unix sockets.
func (r *Reactor) Listen(ctx context.Context, network, address string, h Handler, opts ...ListenOption) (*Listener, error) {
	if h == nil {
		return nil, ErrNilHandler
	}
	var o listenOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.backlog < 0 {
		return nil, optionError("backlog", o.backlog)
	}
	if err := checkUnix("listen", network, address); err != nil {
		return nil, err
	}
	if o.reusePort && isUnix(network) {
		return nil, optionError("reuseport", network)
	}
	if err := checkListenOptions(&o); err != nil {
		return nil, err
	}
	ln := &Listener{r: r, h: h}
	n := 1
	if o.reusePort {
		n = len(r.loops)
	}
	for i := 0; i < n; i++ {
		addr := address
		if ln.addr != nil {
			addr = ln.addr.String() // the others bind the port the first one got
		}
		fd, lio, bound, file, err := listenSocketFD(ctx, network, addr, &o)
		if err != nil {
			ln.closeFDs()
			return nil, err
		}
		if ln.addr == nil {
			ln.addr, ln.file = bound, file
		}
		loop := r.pick()
		if o.reusePort {
			loop = r.loops[i]
		}
		ln.socks = append(ln.socks, &listenSocket{ln: ln, loop: loop, fd: fd, io: lio, done: make(chan struct{}), spread: !o.reusePort})
	}
	for i, s := range ln.socks {
		if err := s.loop.run(registerListenTask, s); err != nil {
			for _, s := range ln.socks[i:] {
				s.sysClose()
				close(s.done)
			}
			ln.socks = ln.socks[:i]
			_ = ln.Close()
			return nil, err
		}
	}
	return ln, nil
}

// Addr returns the bound address, with the real port when port 0 was asked.
func (ln *Listener) Addr() net.Addr { return ln.addr }

// PauseAccept stops accepting: new connections wait in the kernel backlog.
func (ln *Listener) PauseAccept() error { return ln.each(pauseListenTask) }

// ResumeAccept undoes PauseAccept.
func (ln *Listener) ResumeAccept() error { return ln.each(resumeListenTask) }

// Close stops accepting and closes the listening sockets; it returns once
// they are closed, so the port is free. Connections already accepted are not
// affected. Close must not be called from a callback on the same reactor.
func (ln *Listener) Close() error {
	err := ErrClosed
	ln.once.Do(func() {
		err = nil
		removeSocketFile(ln.file) // first, as net does: the path is never someone else's
		for _, s := range ln.socks {
			// If the reactor is stopping, its loops close the socket.
			_ = s.loop.run(closeListenTask, s)
		}
		for _, s := range ln.socks {
			<-s.done
		}
	})
	return err
}

func (ln *Listener) closeFDs() {
	removeSocketFile(ln.file)
	for _, s := range ln.socks {
		s.sysClose()
	}
	ln.socks = nil
}

func (ln *Listener) each(task func(any) error) error {
	for _, s := range ln.socks {
		if err := s.loop.run(task, s); err != nil {
			return err
		}
	}
	return nil
}

// listenSocket is one listening fd on one loop.
type listenSocket struct {
	ln      *Listener
	loop    *loop
	fd      int      // the descriptor, or the net backend's handle
	io      listenIO // the backend's state (sock_fd.go, sock_net.go)
	spread  bool     // hand accepted connections to all loops in turn
	events  uint32
	paused  bool
	backoff time.Duration // current accept-error back-off; 0 after a success
	waiting bool          // interest off until the back-off timer fires
	retry   *Timer
	closed  bool
	done    chan struct{}
}

func registerListenTask(p any) error {
	s := p.(*listenSocket)
	if err := s.loop.add(s.fd, s, 0); err != nil {
		s.shutdown(err)
		return nil
	}
	s.updateInterest()
	return nil
}

func pauseListenTask(p any) error {
	s := p.(*listenSocket)
	s.paused = true
	s.updateInterest()
	return nil
}

func resumeListenTask(p any) error {
	s := p.(*listenSocket)
	s.paused = false
	s.updateInterest()
	return nil
}

func closeListenTask(p any) error {
	p.(*listenSocket).shutdown(ErrClosed)
	return nil
}

func (s *listenSocket) updateInterest() {
	if s.closed {
		return
	}
	var want uint32
	if !s.paused && !s.waiting {
		want = readEvents
	}
	if err := s.loop.setEvents(s.fd, s.events, want); err != nil {
		s.loop.r.reportFrom(s.loop, netip.AddrPort{}, err)
		return
	}
	s.events = want
}

// acceptBatch bounds accepts per readiness event, so one busy listener
// cannot starve the loop's connections; the rest wait in the backlog.
const acceptBatch = 64

func (s *listenSocket) onEvent(uint32) {
	for i := 0; i < acceptBatch && !s.closed && !s.paused; i++ {
		fd, cio, remote, ua, err := s.sysAccept()
		if err != nil {
			switch err {
			case unix.EAGAIN:
				return
			case unix.EINTR, unix.ECONNABORTED:
				continue
			default:
				s.backOff(err)
				return
			}
		}
		s.backoff = 0
		s.loop.stats.accepted.Add(1)
		target := s.loop
		if s.spread {
			target = s.loop.r.pick()
		}
		c := newConn(target, fd, s.ln.h, remote)
		c.io, c.unix = cio, ua
		if target == s.loop {
			c.open()
		} else if err := target.run(registerConnTask, c); err != nil {
			c.discard()
		}
	}
}

// backOff stops accepting for a while after an accept error (EMFILE,
// ENFILE, ENOBUFS...), doubling the pause up to a second, instead of
// giving up on the listener. The kernel backlog holds new connections
// meanwhile.
func (s *listenSocket) backOff(err error) {
	const first, most = 5 * time.Millisecond, time.Second
	s.loop.stats.acceptErrors.Add(1)
	if s.backoff == 0 {
		s.loop.stats.acceptBackoffs.Add(1)
		s.loop.r.reportFrom(s.loop, netip.AddrPort{}, &AcceptError{Err: wrapSyscall("accept", err)})
		s.backoff = first
	} else if s.backoff *= 2; s.backoff > most {
		s.backoff = most
	}
	s.waiting = true
	s.updateInterest()
	s.retry = &Timer{when: monotonic() + int64(s.backoff), f: s.retryAccept, index: -1, loop: s.loop}
	s.loop.timers.add(s.retry)
}

func (s *listenSocket) retryAccept() {
	if s.closed {
		return
	}
	s.waiting = false
	s.updateInterest()
	s.onEvent(0)
}

func (s *listenSocket) shutdown(error) {
	if s.closed {
		return
	}
	s.closed = true
	s.loop.timers.remove(s.retry)
	s.loop.forget(s.fd, s.events)
	s.events = 0
	s.sysClose()
	close(s.done)
}

// AcceptError is reported to the error hook when accepting fails; the
// listener backs off and keeps serving.
type AcceptError struct{ Err error }

// Error implements error.
func (e *AcceptError) Error() string { return "reactor: accept: " + e.Err.Error() }

// Unwrap returns the underlying *os.SyscallError.
func (e *AcceptError) Unwrap() error { return e.Err }

// Temporary reports true: the listener retries.
func (e *AcceptError) Temporary() bool { return true }
