package handler

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/usocket-go/usocket/reactor"
)

// Server is a running server, whatever its kind: a reactor-native one
// (Serve), a stream socket-server (StreamServer.Start) or a datagram one
// (DatagramServer.Start). Its methods are safe for concurrent use.
type Server struct {
	r      *reactor.Reactor // what Serve's server runs on; nil for the others
	addr   net.Addr
	hook   func(error)
	eng    engine
	ctx    context.Context // handlers' context, cancelled by a forced stop
	cancel context.CancelFunc

	handlers sync.WaitGroup // running handler goroutines
	stopc    chan struct{}  // closed when stopping begins
	stopOnce sync.Once
	forced   atomic.Bool
	done     chan struct{} // closed when the loop and every handler ended
	err      error         // why the loop ended; set before done closes
}

// engine is what differs between the stream and the datagram server.
type engine interface {
	// loop accepts or receives until stopping, calling back into the
	// Server; it returns nil after a stop, or the error that ended it.
	loop(s *Server) error
	// stopTaking makes loop return soon, without breaking running
	// handlers (a stream listener is closed at once).
	stopTaking()
	// force closes everything now: the listener or socket and every
	// client connection.
	force()
	// release frees what is left once loop and handlers have ended.
	release()
}

func newServer(ctx context.Context, addr net.Addr, eng engine, hook func(error)) *Server {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &Server{
		addr: addr, hook: hookOrDefault(hook), eng: eng, ctx: hctx, cancel: cancel,
		stopc: make(chan struct{}), done: make(chan struct{}),
	}
}

// run is the server's life: the loop, then the wait for its handlers.
func (s *Server) run() {
	err := s.eng.loop(s)
	s.beginStop() // a loop that failed leaves its listener to close
	s.handlers.Wait()
	s.eng.release()
	s.cancel()
	if err == nil {
		err = ErrServerClosed
	}
	s.err = err
	close(s.done)
}

// serveBlocking runs the service in the calling goroutine until ctx ends
// (then it closes the service) or the loop fails; it returns once every
// handler has returned.
func (s *Server) serveBlocking(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	defer stop()
	s.run()
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.err
}

// Reactor returns the reactor a server made by Serve runs on (for its
// Stats, say); nil for a socket-server.
func (s *Server) Reactor() *reactor.Reactor { return s.r }

// Addr returns the address the server is bound to, with the real port when
// port 0 was asked for: a *net.TCPAddr or a *net.UDPAddr (a *net.UnixAddr
// for a unix socket).
func (s *Server) Addr() net.Addr { return s.addr }

// AddrPort returns Addr as a netip.AddrPort; the zero AddrPort for a unix
// socket.
func (s *Server) AddrPort() netip.AddrPort {
	switch a := s.addr.(type) {
	case *net.TCPAddr:
		return a.AddrPort()
	case *net.UDPAddr:
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// Shutdown stops the server gracefully: it stops taking new clients (a
// stream listener is closed, so its port is free at once) and waits for the
// running handlers to return. If ctx ends first, it closes what is left, as
// Close does, and returns ctx.Err(); the handlers then end soon after (see
// Done). It returns nil once every handler has returned.
//
// Only the call that begins the stop waits: on a service whose stop had
// already begun (an earlier Shutdown or Close, or a loop that failed, see
// Err) Shutdown returns ErrServerClosed at once; Done waits for the end.
func (s *Server) Shutdown(ctx context.Context) error {
	if !s.beginStop() {
		return ErrServerClosed
	}
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		s.forceStop()
		return ctx.Err()
	}
}

// Close stops the server now: it closes the listener or socket and every
// client connection, and cancels the handlers' context, so handlers blocked
// in I/O or watching their context return. It does not wait for them; Done
// does. During a graceful Shutdown it cuts the wait short. On a service
// already closed, or already stopped (Done is closed), it returns
// ErrServerClosed.
func (s *Server) Close() error {
	// Stopped before this call? Checked before stopping, as the stop this
	// call begins may end at once.
	select {
	case <-s.done:
		return ErrServerClosed
	default:
	}
	s.beginStop()
	if !s.forceStop() {
		return ErrServerClosed
	}
	return nil
}

// Done returns a channel closed once the server has stopped and every
// handler has returned.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err returns, after Done is closed, why the server stopped:
// ErrServerClosed after Shutdown or Close, or the error that broke its
// accept or receive loop. Before that it returns nil.
func (s *Server) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// beginStop stops taking new work; it reports whether this call did it.
func (s *Server) beginStop() bool {
	began := false
	s.stopOnce.Do(func() {
		began = true
		close(s.stopc)
		s.eng.stopTaking()
	})
	return began
}

// forceStop closes everything; it reports whether this call did it.
func (s *Server) forceStop() bool {
	if s.forced.Swap(true) {
		return false
	}
	s.cancel()
	s.eng.force()
	return true
}

func (s *Server) stopping() bool {
	select {
	case <-s.stopc:
		return true
	default:
		return false
	}
}

// report hands a failure to the error hook, unless it is only the echo of
// a forced stop (a closed connection, a cancelled context).
func (s *Server) report(err error) {
	if err == nil {
		return
	}
	if s.forced.Load() && (errors.Is(err, net.ErrClosed) || errors.Is(err, context.Canceled)) {
		return
	}
	s.hook(err)
}

// goHandler runs f in a new goroutine counted as a running handler.
func (s *Server) goHandler(f func()) {
	s.handlers.Add(1)
	go func() {
		defer s.handlers.Done()
		f()
	}()
}
