package main

import (
	"context"
	"net"
	"strconv"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
)

// start builds the server for cfg's mode and protocol (checked by
// parseFlags).
func start(ctx context.Context, cfg config) (server, error) {
	opts := []reactor.Option{reactor.WithLoops(cfg.loops), reactor.WithIdleWait(idleWaits[cfg.idle])}
	if cfg.mode == "reactor" && cfg.proto == "tcp" {
		opts = append(opts, reactor.WithIdleTimeout(cfg.idleTimeout))
	}
	r, err := reactor.New(opts...)
	if err != nil {
		return nil, err
	}
	srv, err := startOn(ctx, r, cfg)
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	return srv, nil
}

// startOn starts the server on reactor r, which it stops with the server.
func startOn(ctx context.Context, r *reactor.Reactor, cfg config) (server, error) {
	host, port := cfg.host, cfg.port
	mode := handler.Sequential
	if cfg.mode == "multi" {
		mode = handler.PerConnection
	}
	switch {
	case cfg.mode == "reactor" && cfg.proto == "tcp":
		so := &handler.ServeOptions{Reactor: r, TLS: cfg.tlsConfig}
		if cfg.reusePort {
			so.ListenOptions = append(so.ListenOptions, reactor.WithReusePort())
		}
		s, err := handler.Serve(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)), handler.Echo{}, so)
		if err != nil {
			return nil, err
		}
		return ownServer{s, r}, nil
	case cfg.mode == "reactor" && cfg.proto == "udp":
		return startLoopUDP(ctx, r, host, port, r.Loops())
	case cfg.proto == "tcp":
		sv := handler.StreamServer{Host: host, Port: port, Mode: mode, Handler: handler.EchoStream, Reactor: r,
			ReadTimeout: cfg.readTimeout, WriteTimeout: cfg.writeTimeout, IdleTimeout: cfg.idleTimeout,
			ReusePort: cfg.reusePort, ErrorHook: quietHook}
		s, err := sv.Start(ctx)
		if err != nil {
			return nil, err
		}
		return ownServer{s, r}, nil
	case cfg.proto == "udp":
		d := handler.DatagramServer{Host: host, Port: port, Mode: mode, Handler: handler.EchoDatagram, Reactor: r,
			ReusePort: cfg.reusePort, ErrorHook: quietHook}
		s, err := d.Start(ctx)
		if err != nil {
			return nil, err
		}
		return ownServer{s, r}, nil
	}
	return nil, errUnsupported
}

// ownServer is a handler.Server on a reactor of its own.
type ownServer struct {
	s *handler.Server
	r *reactor.Reactor
}

func (s ownServer) Addr() string { return s.s.Addr().String() }

func (s ownServer) Reactor() *reactor.Reactor { return s.r }

// Shutdown stops the server gracefully (a socket-server waits for its
// handlers), then the reactor, which closes the connections left on its
// loops gracefully (flushing echoes) until ctx ends.
func (s ownServer) Shutdown(ctx context.Context) error {
	err := s.s.Shutdown(ctx)
	<-s.s.Done() // handlers end soon after a forced stop: their conns are closed
	if rerr := s.r.Shutdown(ctx); err == nil {
		err = rerr
	}
	return err
}

// quietHook drops what an echo server cannot help: clients that reset or
// vanish. Everything else goes to stderr through the default logger.
func quietHook(err error) {
	if isPeerGone(err) {
		return
	}
	defaultHook(err)
}

// idleWaits maps -idle to the reactor's setting.
var idleWaits = map[string]reactor.IdleWait{
	"auto":  reactor.IdleWaitAuto,
	"block": reactor.IdleWaitBlock,
	"park":  reactor.IdleWaitPark,
}
