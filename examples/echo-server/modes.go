package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
)

// errUsage marks a bad -mode, -proto or -addr value.
var errUsage = errors.New("usage")

// start builds the server for cfg's mode and protocol.
func start(ctx context.Context, cfg config) (server, error) {
	switch {
	case cfg.mode != "reactor" && cfg.mode != "single" && cfg.mode != "multi":
		return nil, fmt.Errorf("%w: unknown -mode %q (want reactor, single or multi)", errUsage, cfg.mode)
	case cfg.proto != "tcp" && cfg.proto != "udp":
		return nil, fmt.Errorf("%w: unknown -proto %q (want tcp or udp)", errUsage, cfg.proto)
	}
	idle, ok := idleWaits[cfg.idle]
	if !ok {
		return nil, fmt.Errorf("%w: unknown -idle %q (want auto, block or park)", errUsage, cfg.idle)
	}
	host, port, err := splitAddr(cfg.addr)
	if err != nil {
		return nil, err
	}
	r, err := reactor.New(reactor.WithLoops(cfg.loops), reactor.WithIdleWait(idle))
	if err != nil {
		return nil, err
	}
	srv, err := startOn(ctx, r, cfg, host, port)
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	return srv, nil
}

// startOn starts the server on reactor r, which it stops with the server.
func startOn(ctx context.Context, r *reactor.Reactor, cfg config, host string, port int) (server, error) {
	mode := handler.Sequential
	if cfg.mode == "multi" {
		mode = handler.PerConnection
	}
	switch {
	case cfg.mode == "reactor" && cfg.proto == "tcp":
		s, err := handler.Serve(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)), handler.Echo{},
			&handler.ServeOptions{Reactor: r})
		if err != nil {
			return nil, err
		}
		return reactorServer{s, r}, nil
	case cfg.mode == "reactor" && cfg.proto == "udp":
		return startLoopUDP(ctx, r, host, port, r.Loops())
	case cfg.proto == "tcp":
		sv := handler.StreamServer{Host: host, Port: port, Mode: mode, Handler: handler.EchoStream, Reactor: r,
			ErrorHook: quietHook}
		s, err := sv.Start(ctx)
		if err != nil {
			return nil, err
		}
		return serviceServer{s, r}, nil
	case cfg.proto == "udp":
		d := handler.DatagramServer{Host: host, Port: port, Mode: mode, Handler: handler.EchoDatagram, Reactor: r,
			ErrorHook: quietHook}
		s, err := d.Start(ctx)
		if err != nil {
			return nil, err
		}
		return serviceServer{s, r}, nil
	}
	return nil, errUnsupported
}

// splitAddr splits -addr into host and a port number.
func splitAddr(addr string) (string, int, error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%w: -addr %q: %w", errUsage, addr, err)
	}
	port, err := strconv.Atoi(ps)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%w: -addr %q: bad port", errUsage, addr)
	}
	return host, port, nil
}

// reactorServer is a reactor-native TCP server on its own reactor.
type reactorServer struct {
	s *handler.Server
	r *reactor.Reactor
}

func (s reactorServer) Addr() string { return s.s.Addr().String() }

// Shutdown closes the listener, then lets the reactor close every
// connection gracefully (flushing echoes) until ctx ends, and stops it.
func (s reactorServer) Shutdown(ctx context.Context) error {
	err := s.s.Shutdown(ctx)
	if rerr := s.r.Shutdown(ctx); err == nil {
		err = rerr
	}
	return err
}

// serviceServer is a handler.Service on its own reactor.
type serviceServer struct {
	s *handler.Service
	r *reactor.Reactor
}

func (s serviceServer) Addr() string { return s.s.Addr().String() }

// Shutdown stops the service gracefully, then its reactor.
func (s serviceServer) Shutdown(ctx context.Context) error {
	err := s.s.Shutdown(ctx)
	<-s.s.Done() // handlers end soon after a forced stop: their conns are closed
	if cerr := s.r.Close(); err == nil {
		err = cerr
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
