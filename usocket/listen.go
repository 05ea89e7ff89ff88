package usocket

import (
	"context"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/internal/wake"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/waitlist"
)

// ListenConfig holds the options for listening; its fields are the keyword
// arguments of usocket's SOCKET-LISTEN. The zero value for each field is
// equivalent to listening without that option.
type ListenConfig struct {
	// ReuseAddress sets SO_REUSEADDR before binding (:REUSE-ADDRESS). nil
	// means on, as in the standard library and usocket's SOCKET-SERVER
	// (SOCKET-LISTEN's own default is off); new(false) turns it off.
	ReuseAddress *bool

	// ReusePort sets SO_REUSEPORT before binding, so that several
	// listeners that all set it share the port: in this process or in
	// others, which Linux allows only to the same effective user. The
	// kernel spreads new connections over them: how a server grows past
	// one process (run one per core) and, behind an L4 load balancer,
	// past one machine. Off by default.
	ReusePort bool

	// Backlog is the kernel's queue of connections not yet accepted
	// (:BACKLOG). 0 means the system's maximum (somaxconn), not usocket's 5.
	Backlog int

	// ReadBufferLimit is the ReadBufferLimit of accepted connections (see
	// Dialer.ReadBufferLimit); 0 leaves SO_RCVBUF alone, so the kernel
	// autotunes the receive buffer.
	ReadBufferLimit int

	// Reactor runs the listener and its connections; nil means
	// reactor.Default().
	Reactor *reactor.Reactor
}

// Listen listens for TCP connections with a zero ListenConfig; see
// ListenConfig.Listen.
func Listen(ctx context.Context, host string, port int) (*Listener, error) {
	var lc ListenConfig
	return lc.Listen(ctx, host, port)
}

// Listen binds host:port and listens: the Go form of usocket's
// SOCKET-LISTEN. host is WildcardHost ("", every IPv4 address, as usocket
// does), an IPv4 or IPv6 literal, or a name, which is resolved with
// LookupHost (its first IPv4 address, else its first address); port is a
// port number or AutoPort (0: the system chooses, and Addr reports it).
// ctx bounds the name lookup and the bind; it does not affect the
// listener afterwards.
//
// Errors are *net.OpError values whose Err carries the condition class:
// errors.Is(err, ErrAddressInUse) and errors.Is(err, syscall.EADDRINUSE)
// both hold for a port that is taken. A port outside 0..65535 or a negative
// Backlog give an *InputError (inside a *net.OpError).
func (lc *ListenConfig) Listen(ctx context.Context, host string, port int) (*Listener, error) {
	if err := checkPort("Listen", port); err != nil {
		return nil, listenInputError(err)
	}
	if lc.Backlog < 0 {
		return nil, listenInputError(&InputError{Op: "Listen", Arg: "Backlog", Value: lc.Backlog, Reason: "negative"})
	}
	if ctx == nil {
		return nil, listenInputError(&InputError{Op: "Listen", Arg: "ctx", Value: "nil", Reason: "nil context"})
	}
	ip, err := listenAddr(ctx, host)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: "tcp", Err: err}
	}
	network := "tcp4"
	if !ip.Is4() {
		network = "tcp6"
	}
	r, err := reactorOr(lc.Reactor, "listen", network)
	if err != nil {
		return nil, err
	}
	return lc.newListener(r).open(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String(), lc.Backlog)
}

// newListener is the state of a listener run by r, before it is bound.
func (lc *ListenConfig) newListener(r *reactor.Reactor) *listener {
	return &listener{
		r:         r,
		reuse:     lc.ReuseAddress == nil || *lc.ReuseAddress,
		reusePort: lc.ReusePort,
		readLimit: lc.ReadBufferLimit,
		done:      make(chan struct{}),
	}
}

// open binds address with the standard library (so errors have its
// shape), takes its descriptor and registers it with l's reactor.
func (l *listener) open(ctx context.Context, network, address string, backlog int) (*Listener, error) {
	nl := net.ListenConfig{Control: l.control}
	gl, err := nl.Listen(ctx, network, address)
	if err != nil {
		return nil, MapError(err)
	}
	l.bound(gl)
	fail := func(err error) (*Listener, error) {
		l.removeSocketFile()
		return nil, MapError(&net.OpError{Op: "listen", Net: network, Addr: l.netAddr(), Err: err})
	}
	fd, err := detachFD(gl.(listenerFD))
	if err != nil {
		return fail(err)
	}
	if backlog > 0 {
		if err := listenBacklog(fd, backlog); err != nil {
			closeFD(fd)
			return fail(err)
		}
	}
	l.fd.Init(fd)
	w, err := watchFD(&l.fd, l.r, (*listenEvents)(l))
	if err != nil {
		return fail(err)
	}
	if w != nil { // nil on the net backend: no loop to lend
		l.sig.SetObserver(w.SetObserved)
	}
	pub := &Listener{l}
	runtime.AddCleanup(pub, (*listener).dropped, l)
	return pub, nil
}

// listenerFD is what detachFD needs of a *net.TCPListener or
// *net.UnixListener.
type listenerFD interface {
	syscall.Conn
	Close() error
}

// listenAddr turns usocket's host argument into the address to bind.
func listenAddr(ctx context.Context, host string) (netip.Addr, error) {
	if host == WildcardHost {
		return netip.IPv4Unspecified(), nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap(), nil
	}
	return LookupHost(ctx, host)
}

func listenInputError(err error) error {
	return &net.OpError{Op: "listen", Net: "tcp", Err: err}
}

// Listener is a TCP (or, from ListenUnix, a unix domain stream) listening
// socket: the Go form of usocket's STREAM-SERVER-USOCKET. It is a net.Listener. Accept calls accept(2) on
// the non-blocking socket itself and, when no connection is waiting, parks
// until a reactor event loop reports one: connections nobody accepts wait
// in the kernel's backlog.
//
// Multiple goroutines may invoke methods on a Listener simultaneously. A
// Listener that becomes unreachable without Close is closed by a cleanup.
type Listener struct {
	*listener // the state the event loop sees; it never points back here
}

// listener is a Listener's state; the watcher's handler points here, so
// that the event loop does not keep a dropped Listener alive.
type listener struct {
	fd        fdlife.FD
	r         *reactor.Reactor // runs the listener and its connections
	addr      *net.TCPAddr
	unix      *unixListen // the bound path of a unix listener; nil for TCP
	reuse     bool
	reusePort bool
	readLimit int

	closed   atomic.Bool
	rd       wake.Edge     // readable edges: connections may be waiting
	done     chan struct{} // closed by Close or the reactor stopping
	doneOnce sync.Once
	dl       deadline.Deadline
	sig      waitlist.Signal
}

var (
	_ net.Listener    = (*Listener)(nil)
	_ waitlist.Source = (*Listener)(nil)
)

// control sets SO_REUSEADDR as configured, before bind.
func (l *listener) control(_, _ string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) { serr = listenReuse(int(fd), l.reuse, l.reusePort) }); err != nil {
		return err
	}
	return serr
}

// Accept waits for and returns the next connection, a *Conn. It is the Go
// form of usocket's SOCKET-ACCEPT. After Close it returns a *net.OpError
// (Op "accept") wrapping net.ErrClosed; when the deadline set with
// SetDeadline passes, a timeout error.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.accept(context.Background())
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AcceptConn is Accept returning the *Conn, bounded also by ctx: when ctx
// ends first, the error is a *net.OpError wrapping ctx.Err().
func (l *Listener) AcceptConn(ctx context.Context) (*Conn, error) {
	if ctx == nil {
		return nil, l.opError(&InputError{Op: "AcceptConn", Arg: "ctx", Value: "nil", Reason: "nil context"})
	}
	return l.accept(ctx)
}

func (l *Listener) accept(ctx context.Context) (*Conn, error) {
	if !l.fd.Acquire() {
		return nil, l.opError(net.ErrClosed)
	}
	defer l.fd.Release()
	for {
		if l.dl.Expired() {
			return nil, NewTimeoutError("accept", l.network(), nil, l.netAddr())
		}
		seq := l.rd.Seq() // before accept: an edge after it is not lost
		fd, sa, err := acceptFD(l.fd.Sysfd)
		switch err {
		case nil:
			return l.startConn(fd, sa)
		case unix.EINTR, unix.ECONNABORTED:
			continue
		case unix.EAGAIN:
		default:
			return nil, NewAcceptError(l.network(), l.netAddr(), os.NewSyscallError("accept4", err))
		}
		afterEAGAIN("accept")
		// No Lender: an Accept blocks for long, and one running the loop
		// would keep it from the connections' blocked calls; nor is it
		// counted as waiting, which would keep the loop from being lent at
		// all. On a loop lent to nobody, a new connection's edge waits for
		// the backstop (reactor.Lendable: about 200 µs at most).
		stops := wake.Stops{Done: l.done, Deadline: l.dl.Wait(), Cancel: ctx.Done()}
		switch l.rd.Wait(seq, stops) {
		case wake.Closed:
			return nil, l.opError(net.ErrClosed)
		case wake.Expired:
			return nil, NewTimeoutError("accept", l.network(), nil, l.netAddr())
		case wake.Canceled:
			return nil, l.opError(ctx.Err())
		}
	}
}

// startConn makes the Conn for an accepted socket.
func (l *listener) startConn(fd int, sa unix.Sockaddr) (*Conn, error) {
	if l.unix != nil {
		return l.startUnixConn(fd, sa)
	}
	var laddr netip.AddrPort
	if ls, err := localSockaddr(fd); err == nil {
		laddr = sockaddr.FromSockaddr(ls)
	}
	_ = optNoDelay.set(fd, 1) // usocket's default, and the standard library's
	c, err := startConn(l.r, fd, sockaddr.FromSockaddr(sa), laddr, l.readLimit)
	if err != nil {
		return nil, l.opError(err)
	}
	return c, nil
}

// Close stops listening and frees the port before it returns; connections
// waiting in the backlog are reset, connections already accepted are not
// affected. Blocked Accept calls return an error wrapping net.ErrClosed;
// Close waits for them to leave (they do so without an event loop), never
// for an event loop, so it may be called from a reactor callback.
func (l *Listener) Close() error { return l.close() }

func (l *listener) close() error {
	if l.closed.Swap(true) {
		return l.opErrorOp("close", net.ErrClosed)
	}
	l.removeSocketFile() // first, as net does: the path is never someone else's
	l.finish()
	l.dl.Stop()
	l.fd.Close()
	return nil
}

// dropped closes a Listener that became unreachable without Close.
func (l *listener) dropped() { _ = l.close() }

// finish wakes every blocked Accept for good.
func (l *listener) finish() {
	l.doneOnce.Do(func() { close(l.done) })
	l.sig.Notify()
}

// Addr returns the bound address, a *net.TCPAddr with the real port when
// AutoPort was asked for, or a *net.UnixAddr for a unix listener.
func (l *Listener) Addr() net.Addr { return l.netAddr() }

// AddrPort returns the bound address and port: the Go form of usocket's
// GET-LOCAL-NAME on a server socket. It is the zero AddrPort for a unix
// listener.
func (l *Listener) AddrPort() netip.AddrPort { return sockaddr.Unmap(l.addr.AddrPort()) }

// SetDeadline sets the deadline for Accept, as on a *net.TCPListener: a
// blocked Accept is woken when it passes and returns a timeout error for
// which errors.Is(err, os.ErrDeadlineExceeded) holds. The zero time removes
// it.
func (l *Listener) SetDeadline(t time.Time) error {
	if l.closed.Load() {
		return l.opErrorOp("set", net.ErrClosed)
	}
	l.dl.Set(t)
	l.rd.Notify()
	return nil
}

// ReuseAddress reports whether SO_REUSEADDR was set when listening
// (usocket's :REUSE-ADDRESS option).
func (l *Listener) ReuseAddress() bool { return l.reuse }

// Option returns a listener option by usocket's name: only
// OptionReuseAddress (a bool) applies to server sockets; other names give
// an *ImplementationError matching ErrUnimplemented. After Close it fails
// with net.ErrClosed inside a *net.OpError, as every method does.
func (l *Listener) Option(name OptionName) (any, error) {
	if l.closed.Load() {
		return nil, l.opErrorOp("get", net.ErrClosed)
	}
	n, err := ParseOptionName(string(name))
	if err != nil {
		return nil, err
	}
	if n == OptionReuseAddress {
		return l.reuse, nil
	}
	return nil, unimplementedOption(name, "Listener.Option")
}

// SetOption exists for symmetry with Conn.SetOption. SO_REUSEADDR only
// matters before bind, so setting OptionReuseAddress on a listening socket
// gives an *ImplementationError matching ErrUnsupported (use
// ListenConfig.ReuseAddress); other names match ErrUnimplemented. After
// Close it fails with net.ErrClosed inside a *net.OpError.
func (l *Listener) SetOption(name OptionName, v any) error {
	if l.closed.Load() {
		return l.opErrorOp("set", net.ErrClosed)
	}
	n, err := ParseOptionName(string(name))
	if err != nil {
		return err
	}
	if n == OptionReuseAddress {
		if _, ok := v.(bool); !ok {
			return optionTypeError(n, v, "bool")
		}
		return &ImplementationError{Kind: ErrUnsupported, Feature: string(name), Context: "Listener.SetOption after Listen"}
	}
	return unimplementedOption(name, "Listener.SetOption")
}

// Ready reports whether Accept would not block: a connection is waiting
// in the backlog (polled without blocking) or the listener is closed. It
// makes Listener a waitlist.Source.
func (l *Listener) Ready() bool {
	if !l.fd.Acquire() {
		return true
	}
	defer l.fd.Release()
	return pollReady(l.fd.Sysfd)
}

// WaitSignal returns the listener's readiness signal, for package waitlist.
func (l *Listener) WaitSignal() *waitlist.Signal { return &l.sig }

func (l *listener) opError(err error) error { return l.opErrorOp("accept", err) }

func (l *listener) opErrorOp(op string, err error) error {
	return NewOpError(op, l.network(), nil, l.netAddr(), err)
}

// network is the network errors name: "tcp" or "unix".
func (l *listener) network() string {
	if l.unix != nil {
		return "unix"
	}
	return "tcp"
}

// netAddr is the bound address as a net.Addr, never a typed nil.
func (l *listener) netAddr() net.Addr {
	switch {
	case l.unix != nil:
		return l.unix.addr
	case l.addr != nil:
		return l.addr
	}
	return nil
}
