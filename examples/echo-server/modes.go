package main

import (
	"context"
	"fmt"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
)

// start builds the server for cfg's mode and protocol.
func start(ctx context.Context, cfg config) (server, error) {
	switch {
	case cfg.mode == "reactor" && cfg.proto == "tcp":
		s, err := handler.Serve(ctx, "tcp", cfg.addr, handler.Echo{}, &handler.ServeOptions{
			ReactorOptions: []reactor.Option{reactor.WithLoops(cfg.loops)},
		})
		if err != nil {
			return nil, err
		}
		return reactorServer{s}, nil
	case cfg.mode != "reactor" && cfg.mode != "single" && cfg.mode != "multi":
		return nil, fmt.Errorf("unknown -mode %q (want reactor, single or multi)", cfg.mode)
	case cfg.proto != "tcp" && cfg.proto != "udp":
		return nil, fmt.Errorf("unknown -proto %q (want tcp or udp)", cfg.proto)
	}
	return nil, errUnsupported
}

type reactorServer struct{ *handler.Server }

func (s reactorServer) Addr() string { return s.Server.Addr().String() }
