package handler

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/udp"
)

// DatagramHandler answers one request datagram from peer: usocket's UDP
// socket-server function. The reply goes back to peer as one datagram; a
// nil reply sends nothing, an empty non-nil one sends an empty datagram.
//
// req is valid only until the handler returns (the server reuses it); the
// reply may alias req. ctx is cancelled when the server is closed.
type DatagramHandler func(ctx context.Context, req []byte, peer netip.AddrPort) (reply []byte, err error)

// DefaultMaxInFlight is the default bound on concurrent handlers of a
// PerConnection datagram server.
const DefaultMaxInFlight = 1024

// DatagramServer is usocket's socket-server with :protocol :datagram: one
// unconnected UDP socket whose request datagrams go to Handler and whose
// replies go back to each sender.
//
// It differs from usocket's in these ways: a request longer than
// MaxBufferSize is dropped and reported instead of crashing the server; a
// reply longer than udp.MaxDatagramSize is reported and not sent, instead
// of over-reading the buffer; a handler error or panic is reported to
// ErrorHook and the server goes on, where usocket's loop ends and closes
// its socket; and it can be stopped (Server.Shutdown, Close, or the
// context of ListenAndServe).
type DatagramServer struct {
	// Host and Port to bind; "" is every local address, 0 a free port.
	Host string
	Port int
	// Mode: Sequential (the default) handles one request at a time in
	// arrival order, in the receiving goroutine; PerConnection handles each
	// request in its own goroutine, at most MaxInFlight at once (when that
	// many are running, receiving waits, and new datagrams queue in the
	// socket and then the kernel, which drops them when full).
	Mode Mode
	// Handler answers requests; it is required.
	Handler DatagramHandler
	// MaxBufferSize is usocket's :max-buffer-size: the longest request
	// accepted, in bytes; 0 means udp.MaxDatagramSize (65507).
	MaxBufferSize int
	// ReceiveTimeout is usocket's :timeout: each wait for a request gives
	// up after it and starts again (usocket's loop polls with it). A stop
	// wakes the server at once regardless, so it never needs setting; 0
	// means waits without a timeout.
	ReceiveTimeout time.Duration
	// MaxInFlight bounds concurrent handlers in PerConnection mode; 0
	// means DefaultMaxInFlight.
	MaxInFlight int
	// ReuseAddress sets SO_REUSEADDR when it points to true; nil means
	// off. This differs from usocket's socket-server, whose :reuse-address
	// t default is about TCP's TIME_WAIT: for UDP on Linux, SO_REUSEADDR
	// lets any other socket that sets it too, of any local user, bind the
	// same port and take a share of its datagrams. Leave it off; to spread
	// one port over several sockets, use ReusePort.
	ReuseAddress *bool
	// ReusePort sets SO_REUSEPORT, so that several sockets that all set it
	// share the port and the kernel spreads datagrams over them. Linux
	// allows it only among sockets of one effective user, so other users
	// cannot join. Off by default: binding a port already bound then fails
	// with an error matching usocket.ErrAddressInUse and
	// syscall.EADDRINUSE.
	ReusePort bool
	// HandlerTimeout bounds each call of Handler: its ctx ends after that
	// long (context.DeadlineExceeded), and a handler that returns later has
	// its reply dropped and ErrHandlerTimeout reported in a *HandlerError,
	// since the peer has likely given up. A goroutine cannot be stopped
	// from outside, so a handler that ignores ctx runs on: in Sequential
	// mode the server still waits for it before taking the next request
	// (one at a time, in order, is that mode's promise), and in
	// PerConnection mode it keeps its MaxInFlight slot. Write handlers
	// that watch ctx. 0, the default, means no timeout.
	HandlerTimeout time.Duration
	// ErrorHook receives every *HandlerError, and the first transient
	// receive error (EMFILE...) of each streak of them (the server retries
	// with a growing pause, up to 1 s, and does not report the retries);
	// nil logs them with slog.Default. It may be called from several
	// goroutines at once in PerConnection mode.
	ErrorHook func(error)
	// Reactor runs the socket; nil means reactor.Default().
	Reactor *reactor.Reactor
}

// Start binds the socket and serves in a new goroutine. A bind error (bad
// host, address in use) is returned before anything is served. ctx bounds
// the setup (name resolution) and is the parent of the handlers' context;
// its cancellation does not stop the server: call Shutdown or Close.
func (d *DatagramServer) Start(ctx context.Context) (*Server, error) {
	s, err := d.bind(ctx)
	if err != nil {
		return nil, err
	}
	go s.run()
	return s, nil
}

// ListenAndServe binds the socket and serves in the calling goroutine
// (usocket's socket-server without :in-new-thread) until ctx ends; it
// returns the bind error at once, or ctx.Err() once the socket is closed
// and every handler has returned.
func (d *DatagramServer) ListenAndServe(ctx context.Context) error {
	s, err := d.bind(ctx)
	if err != nil {
		return err
	}
	return s.serveBlocking(ctx)
}

func (d *DatagramServer) check() (maxBuf, inFlight int, err error) {
	switch {
	case d.Handler == nil:
		return 0, 0, ErrNilHandler
	case d.MaxBufferSize < 0 || d.MaxBufferSize > 65535:
		return 0, 0, &ConfigError{Field: "MaxBufferSize", Value: d.MaxBufferSize, Why: "want 0 (default) to 65535"}
	case d.ReceiveTimeout < 0:
		return 0, 0, &ConfigError{Field: "ReceiveTimeout", Value: d.ReceiveTimeout, Why: "negative"}
	case d.MaxInFlight < 0:
		return 0, 0, &ConfigError{Field: "MaxInFlight", Value: d.MaxInFlight, Why: "negative"}
	case d.HandlerTimeout < 0:
		return 0, 0, &ConfigError{Field: "HandlerTimeout", Value: d.HandlerTimeout, Why: "negative"}
	}
	if err := d.Mode.check(); err != nil {
		return 0, 0, err
	}
	maxBuf, inFlight = d.MaxBufferSize, d.MaxInFlight
	if maxBuf == 0 {
		maxBuf = udp.MaxDatagramSize
	}
	if inFlight == 0 {
		inFlight = DefaultMaxInFlight
	}
	return maxBuf, inFlight, nil
}

func (d *DatagramServer) bind(ctx context.Context) (*Server, error) {
	maxBuf, inFlight, err := d.check()
	if err != nil {
		return nil, err
	}
	cfg := udp.Config{ReuseAddress: d.ReuseAddress != nil && *d.ReuseAddress, ReusePort: d.ReusePort,
		ReadTimeout: d.ReceiveTimeout, Reactor: d.Reactor}
	conn, err := cfg.Listen(ctx, d.Host, d.Port)
	if err != nil {
		return nil, err
	}
	e := &datagramEngine{conn: conn, h: d.Handler, mode: d.Mode, maxBuf: maxBuf, sem: make(chan struct{}, inFlight),
		timeout: d.HandlerTimeout}
	return newServer(ctx, conn.LocalAddr(), e, d.ErrorHook), nil
}

// datagramEngine is the receive loop of a DatagramServer.
type datagramEngine struct {
	conn   *udp.Conn
	h      DatagramHandler
	mode   Mode
	maxBuf int
	sem    chan struct{} // PerConnection: one token per running handler

	timeout time.Duration // HandlerTimeout
}

func (e *datagramEngine) loop(s *Server) error {
	buf := make([]byte, e.maxBuf)
	var b backoff
	for !s.stopping() {
		n, size, from, err := e.conn.Receive(buf)
		if err != nil {
			if s.stopping() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			if isTimeout(err) { // ReceiveTimeout: wait again
				continue
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
		if size > n {
			s.report(&HandlerError{Peer: from, Err: ErrRequestTooLarge})
			continue
		}
		if e.mode == Sequential {
			e.answer(s, buf[:n], from)
			continue
		}
		if !e.acquire(s) {
			return nil
		}
		req := bufpool.Get(n)
		*req = append(*req, buf[:n]...)
		s.goHandler(func() {
			defer func() { <-e.sem }()
			e.answer(s, *req, from)
			bufpool.Put(req)
		})
	}
	return nil
}

// acquire takes a handler slot, or reports false when stopping.
func (e *datagramEngine) acquire(s *Server) bool {
	select {
	case e.sem <- struct{}{}:
		return true
	case <-s.stopc:
		return false
	}
}

// answer runs the handler on one request and sends its reply.
func (e *datagramEngine) answer(s *Server, req []byte, from netip.AddrPort) {
	ctx := s.ctx
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	var reply []byte
	err := guard(func() (err error) {
		reply, err = e.h(ctx, req, from)
		return err
	})
	switch {
	case e.timeout > 0 && s.ctx.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		// Late: the reply is dropped; the handler's own error is kept.
		s.report(handlerErr(from, errors.Join(ErrHandlerTimeout, err)))
	case err != nil:
		s.report(handlerErr(from, err))
	case reply == nil:
	case len(reply) > udp.MaxDatagramSize:
		s.report(handlerErr(from, ErrReplyTooLarge))
	default:
		if _, err := e.conn.Send(reply, from); err != nil {
			s.report(handlerErr(from, err))
		}
	}
}

// stopTaking wakes the receive loop with a past deadline; the socket stays
// open for the replies of running handlers.
func (e *datagramEngine) stopTaking() { _ = e.conn.SetReadDeadline(time.Unix(1, 0)) }

func (e *datagramEngine) force() { _ = e.conn.Close() }

func (e *datagramEngine) release() { _ = e.conn.Close() }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
