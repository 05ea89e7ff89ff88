package handler

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

// StreamHandler serves one TCP client: usocket's socket-server function,
// with the connection (the stream) and the peer's address (usocket's
// *remote-host* and *remote-port*). The server closes c when the handler
// returns, flushing what the handler wrote, as usocket does; the handler
// may close it earlier. ctx is cancelled when the server is closed (and
// then c is closed too, which wakes blocked reads and writes).
type StreamHandler func(ctx context.Context, c *usocket.Conn, peer netip.AddrPort) error

// StreamServer is usocket's socket-server with :protocol :stream: a
// listening socket whose clients are each served by Handler, one at a time
// (Sequential) or each in its own goroutine (PerConnection).
//
// A handler that returns an error or panics is reported to ErrorHook as a
// *HandlerError, its connection is closed, and the server goes on serving.
// This differs from usocket: there, an error in a single-threaded handler
// propagates out of the loop, closing the listening socket and ending the
// server (the error reaching socket-server's caller, or killing its thread),
// and in multi-threaded mode it lands in the debugger of that client's
// thread. usocket also has no way to stop a server; here Server.Shutdown
// and Close do, and ListenAndServe stops when its context ends.
type StreamServer struct {
	// Host and Port to listen on; "" is every local address
	// (usocket.WildcardHost), 0 a free port (see Server.Addr).
	Host string
	Port int
	// Path, when set, makes the server listen on this unix domain stream
	// socket instead (usocket.ListenUnix; "@name" is an abstract name on
	// Linux); Shutdown and Close remove the socket file. Host, Port,
	// ReuseAddress, ReusePort and IdleTimeout (which counts TCP traffic)
	// must then be left zero, or Start gives a *ConfigError. The handler's
	// peer is the zero netip.AddrPort; c.RemoteAddr() is a *net.UnixAddr.
	Path string
	// Mode is Sequential (the default, as usocket's) or PerConnection.
	Mode Mode
	// Handler serves each client; it is required.
	Handler StreamHandler
	// ReuseAddress sets SO_REUSEADDR: nil means on, as usocket's
	// socket-server does (:reuse-address t), so a restarted server can bind
	// its port while old connections linger; new(false) turns it off.
	ReuseAddress *bool

	// ReusePort sets SO_REUSEPORT, so that several servers (processes of
	// the same user) share the port; see usocket.ListenConfig.ReusePort.
	ReusePort bool
	// Backlog is the listen backlog; 0 means usocket.Listen's default.
	Backlog int
	// ReadTimeout and WriteTimeout are set on each client's connection
	// before the handler runs (usocket.Conn.SetReadTimeout and
	// SetWriteTimeout, usocket's :receive-timeout and :send-timeout): each
	// Read that waits longer than ReadTimeout for data, and each Write that
	// waits longer than WriteTimeout for room in the send buffer, fails
	// with a timeout error (matching os.ErrDeadlineExceeded), which the
	// handler usually returns. The handler may change them. 0, the
	// default as in usocket, means no timeout.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// IdleTimeout closes (resets) a client's connection once no data has
	// moved on it in either direction for that long, as the kernel counts
	// it (TCP_INFO): a peer that sends nothing and takes nothing. Blocked
	// calls of the handler then fail, and the server reports
	// ErrIdleTimeout for that client instead of the handler's error. It is
	// checked at about the timeout's own granularity. 0, the default as in
	// usocket, means never.
	//
	// Without any of these timeouts a client that connects and stays
	// silent holds a Sequential server for good: set ReadTimeout or
	// IdleTimeout on a server open to untrusted peers.
	IdleTimeout time.Duration
	// ErrorHook receives every *HandlerError, and the first transient
	// accept error (EMFILE...) of each streak of them (the server retries
	// with a growing pause, up to 1 s, and does not report the retries);
	// nil logs them with slog.Default. In PerConnection mode it may be
	// called from several goroutines at once.
	ErrorHook func(error)
	// Reactor runs the listener and the connections; nil means
	// reactor.Default().
	Reactor *reactor.Reactor
}

// Start listens and serves in a new goroutine (usocket's :in-new-thread
// t). A listen error (bad host, address in use) is returned before
// anything is served. ctx bounds the setup (name resolution) and is the
// parent of the handlers' context; its cancellation does not stop the
// server: call Shutdown or Close.
func (sv *StreamServer) Start(ctx context.Context) (*Server, error) {
	s, err := sv.listen(ctx)
	if err != nil {
		return nil, err
	}
	go s.run()
	return s, nil
}

// ListenAndServe listens and serves in the calling goroutine, usocket's
// default: in Sequential mode the handler runs in this goroutine too. It
// returns a listen error at once; otherwise it serves until ctx ends, then
// closes the listener and every connection, cancels the handlers' context,
// and returns ctx.Err() once every handler has returned. It returns earlier
// only if accepting fails for good, with that error.
func (sv *StreamServer) ListenAndServe(ctx context.Context) error {
	s, err := sv.listen(ctx)
	if err != nil {
		return err
	}
	return s.serveBlocking(ctx)
}

func (sv *StreamServer) listen(ctx context.Context) (*Server, error) {
	if sv.Handler == nil {
		return nil, ErrNilHandler
	}
	if err := sv.Mode.check(); err != nil {
		return nil, err
	}
	for _, f := range [...]struct {
		name string
		v    int64
	}{{"Backlog", int64(sv.Backlog)}, {"ReadTimeout", int64(sv.ReadTimeout)},
		{"WriteTimeout", int64(sv.WriteTimeout)}, {"IdleTimeout", int64(sv.IdleTimeout)}} {
		if f.v < 0 {
			return nil, &ConfigError{Field: f.name, Value: f.v, Why: "negative"}
		}
	}
	if sv.IdleTimeout > 0 && !idleTimeoutSupported {
		return nil, &ConfigError{Field: "IdleTimeout", Value: sv.IdleTimeout, Why: "not supported on this platform (it needs Linux's TCP_INFO)", Err: errors.ErrUnsupported}
	}
	ln, err := sv.listenSocket(ctx)
	if err != nil {
		return nil, err
	}
	e := &streamEngine{ln: ln, h: sv.Handler, mode: sv.Mode, conns: make(map[*usocket.Conn]struct{}),
		rto: sv.ReadTimeout, wto: sv.WriteTimeout, idle: sv.IdleTimeout}
	return newServer(ctx, ln.Addr(), e, sv.ErrorHook), nil
}

// streamEngine is the accept loop of a StreamServer.
type streamEngine struct {
	ln   *usocket.Listener
	h    StreamHandler
	mode Mode

	rto, wto, idle time.Duration // per-connection timeouts

	mu     sync.Mutex
	conns  map[*usocket.Conn]struct{} // connections being served
	forced bool
}

func (e *streamEngine) loop(s *Server) error {
	var b backoff
	for {
		c, err := e.accept(s.ctx)
		if err != nil {
			if s.stopping() {
				return nil
			}
			if !transient(err) || errors.Is(err, net.ErrClosed) {
				return err
			}
			if b.first() {
				s.report(err)
			}
			if !b.wait(s.stopc) {
				return nil
			}
			continue
		}
		b.reset()
		if !e.track(c) {
			continue
		}
		if e.mode == Sequential {
			e.serve(s, c)
			continue
		}
		s.goHandler(func() { e.serve(s, c) })
	}
}

// testHookAccept, when set by a test, runs before each accept; an error it
// returns is taken as the accept's.
var testHookAccept func() error

func (e *streamEngine) accept(ctx context.Context) (*usocket.Conn, error) {
	if testHookAccept != nil {
		if err := testHookAccept(); err != nil {
			return nil, err
		}
	}
	return e.ln.AcceptConn(ctx)
}

// serve runs the handler on one connection, with the server's timeouts,
// then closes it.
func (e *streamEngine) serve(s *Server, c *usocket.Conn) {
	peer := c.RemoteAddrPort()
	_ = c.SetReadTimeout(e.rto)
	_ = c.SetWriteTimeout(e.wto)
	w := watchIdle(c, e.idle)
	err := guard(func() error { return e.h(s.ctx, c, peer) })
	if w.stop() {
		err = ErrIdleTimeout
	}
	e.untrack(c)
	_ = c.Close()
	s.report(handlerErr(peer, err))
}

// track records c as being served; after a forced stop it closes c and
// reports false.
func (e *streamEngine) track(c *usocket.Conn) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.forced {
		_ = c.Close()
		return false
	}
	e.conns[c] = struct{}{}
	return true
}

func (e *streamEngine) untrack(c *usocket.Conn) {
	e.mu.Lock()
	delete(e.conns, c)
	e.mu.Unlock()
}

func (e *streamEngine) stopTaking() { _ = e.ln.Close() }

func (e *streamEngine) force() {
	_ = e.ln.Close()
	e.mu.Lock()
	e.forced = true
	for c := range e.conns {
		_ = c.Close()
	}
	e.mu.Unlock()
}

func (e *streamEngine) release() {}
