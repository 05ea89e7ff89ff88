package handler

import (
	"context"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/reactor/reactortls"
)

// ServeOptions configures Serve.
type ServeOptions struct {
	// Reactor to run on; nil makes a private one from ReactorOptions, which
	// the server stops when it stops.
	Reactor *reactor.Reactor
	// ReactorOptions for a private reactor.
	ReactorOptions []reactor.Option
	// ListenOptions for the listener (SO_REUSEPORT per loop, backlog...).
	ListenOptions []reactor.ListenOption
	// TLS, when set, serves h over TLS (reactortls.Server): h sees
	// plaintext, its connections' OnOpen comes once the handshake is done,
	// and failed handshakes go to the reactor's error hook as a
	// *reactortls.HandshakeError. A bad TLS config is returned by Serve.
	TLS *reactortls.Config
	// ErrorHook receives a failure of the private reactor's graceful stop;
	// nil logs it. The reactor's own reports go to its error hook (see
	// reactor.WithErrorHook).
	ErrorHook func(error)
}

// Serve listens on address and serves h on the reactor's event loops, with
// no goroutine per connection, until Shutdown or Close. network and address
// are reactor.Listen's: "tcp", "tcp4", "tcp6", or "unix" with a socket
// path. Bind errors are returned before anything is served. The *Server is
// the same as the socket-servers': on a private reactor, Shutdown closes
// the listener, then every connection gracefully (flushing what is queued)
// until ctx ends, and stops the reactor; Close closes everything at once.
// On a shared reactor (ServeOptions.Reactor) only the listener is closed;
// its connections are the reactor's.
func Serve(ctx context.Context, network, address string, h reactor.Handler, o *ServeOptions) (*Server, error) {
	if h == nil {
		return nil, reactor.ErrNilHandler
	}
	if o == nil {
		o = &ServeOptions{}
	}
	if o.TLS != nil {
		th, err := reactortls.Server(h, o.TLS)
		if err != nil {
			return nil, err
		}
		h = th
	}
	e := &reactorEngine{r: o.Reactor}
	if e.r == nil {
		r, err := reactor.New(o.ReactorOptions...)
		if err != nil {
			return nil, err
		}
		e.r, e.own = r, true
	}
	ln, err := e.r.Listen(ctx, network, address, h, o.ListenOptions...)
	if err != nil {
		if e.own {
			_ = e.r.Close()
		}
		return nil, err
	}
	e.ln = ln
	s := newServer(ctx, ln.Addr(), e, o.ErrorHook)
	s.r = e.r
	go s.run()
	return s, nil
}

// reactorEngine is the life of a reactor-native server: its connections
// live on the loops, so the "handlers" the Server waits for are the
// private reactor's graceful stop.
type reactorEngine struct {
	r   *reactor.Reactor
	own bool // r was made for this server and is stopped with it
	ln  *reactor.Listener
}

// loop waits for the stop to begin, then, on a private reactor, closes
// every connection gracefully; force cuts that short.
func (e *reactorEngine) loop(s *Server) error {
	<-s.stopc
	if !e.own {
		return nil
	}
	_ = e.r.Shutdown(context.Background()) // ends when the conns did, or at force
	return nil
}

func (e *reactorEngine) stopTaking() { _ = e.ln.Close() }

func (e *reactorEngine) force() {
	if e.own {
		_ = e.r.Close()
	}
}

func (e *reactorEngine) release() {
	if e.own {
		_ = e.r.Close() // after a graceful stop: already closed
	}
}
