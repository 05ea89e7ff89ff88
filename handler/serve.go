package handler

import (
	"context"
	"net"

	"github.com/usocket-go/usocket/reactor"
)

// Server is a reactor-native server: one listener whose connections run a
// reactor.Handler on the event loops, with no goroutine per connection.
type Server struct {
	r   *reactor.Reactor
	ln  *reactor.Listener
	own bool // r was made for this server and is stopped with it
}

// ServeOptions configures Serve.
type ServeOptions struct {
	// Reactor to run on; nil makes a private one from ReactorOptions, which
	// the server stops when it stops.
	Reactor *reactor.Reactor
	// ReactorOptions for a private reactor.
	ReactorOptions []reactor.Option
	// ListenOptions for the listener (SO_REUSEPORT per loop, backlog...).
	ListenOptions []reactor.ListenOption
}

// Serve listens on address and serves h on the reactor until Shutdown or
// Close. network and address are reactor.Listen's: "tcp", "tcp4", "tcp6",
// or "unix" with a socket path. Bind errors are returned before anything is served.
func Serve(ctx context.Context, network, address string, h reactor.Handler, o *ServeOptions) (*Server, error) {
	if h == nil {
		return nil, reactor.ErrNilHandler
	}
	if o == nil {
		o = &ServeOptions{}
	}
	s := &Server{r: o.Reactor}
	if s.r == nil {
		r, err := reactor.New(o.ReactorOptions...)
		if err != nil {
			return nil, err
		}
		s.r, s.own = r, true
	}
	ln, err := s.r.Listen(ctx, network, address, h, o.ListenOptions...)
	if err != nil {
		if s.own {
			_ = s.r.Close()
		}
		return nil, err
	}
	s.ln = ln
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Reactor returns the reactor the server runs on.
func (s *Server) Reactor() *reactor.Reactor { return s.r }

// Shutdown stops accepting and, on a private reactor, closes every
// connection gracefully (flushing what is queued) until ctx ends; then it
// stops the reactor. On a shared reactor only the listener is closed.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.ln.Close()
	if s.own {
		return s.r.Shutdown(ctx)
	}
	return err
}

// Close stops accepting and, on a private reactor, closes every connection
// at once and stops the reactor.
func (s *Server) Close() error {
	err := s.ln.Close()
	if s.own {
		return s.r.Close()
	}
	return err
}
