package main

import (
	"context"
	"errors"
	"net/netip"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/udp"
)

// loopUDP is the reactor-mode UDP echo: n sockets sharing one port with
// SO_REUSEPORT (the kernel spreads peers over them), each answering its
// datagrams on its own event loop through a udp.Responder, without a
// goroutine hop.
type loopUDP struct {
	r     *reactor.Reactor
	addr  netip.AddrPort
	socks []*udp.Conn
}

// echoReply is the Responder: the reply is the request itself.
func echoReply(req []byte, _ netip.AddrPort) []byte { return req }

// startLoopUDP binds n sockets on host:port (the first picks the port when
// port is 0); the reactor spreads them over its loops.
func startLoopUDP(ctx context.Context, r *reactor.Reactor, host string, port, n int) (server, error) {
	s := &loopUDP{r: r}
	for i := 0; i < n; i++ {
		cfg := udp.Config{ReusePort: true, Responder: echoReply, Reactor: r}
		c, err := cfg.Listen(ctx, host, port)
		if err != nil {
			s.closeSockets()
			return nil, err
		}
		if i == 0 {
			s.addr = c.LocalAddrPort()
			port = int(s.addr.Port())
		}
		s.socks = append(s.socks, c)
	}
	return s, nil
}

func (s *loopUDP) Addr() string { return s.addr.String() }

func (s *loopUDP) Reactor() *reactor.Reactor { return s.r }

// Shutdown closes the sockets (each Close returns once its loop has let go
// of it) and stops the reactor.
func (s *loopUDP) Shutdown(context.Context) error {
	s.closeSockets()
	if err := s.r.Close(); err != nil && !errors.Is(err, reactor.ErrClosed) {
		return err
	}
	return nil
}

func (s *loopUDP) closeSockets() {
	for _, c := range s.socks {
		_ = c.Close()
	}
	s.socks = nil
}
