package handler

import (
	"context"

	"github.com/usocket-go/usocket/usocket"
)

// listenSocket makes the server's listening socket: on Path when it is
// set (a unix domain stream socket), else on Host and Port.
func (sv *StreamServer) listenSocket(ctx context.Context) (*usocket.Listener, error) {
	lc := usocket.ListenConfig{ReuseAddress: sv.ReuseAddress, ReusePort: sv.ReusePort, Backlog: sv.Backlog, Reactor: sv.Reactor}
	if sv.Path == "" {
		return lc.Listen(ctx, sv.Host, sv.Port)
	}
	if err := sv.checkPath(); err != nil {
		return nil, err
	}
	lc.ReuseAddress = nil
	return lc.ListenUnix(ctx, sv.Path)
}

// checkPath refuses the fields that do not apply to a unix socket server.
func (sv *StreamServer) checkPath() error {
	for _, f := range [...]struct {
		name string
		v    any
		set  bool
	}{{"Host", sv.Host, sv.Host != ""}, {"Port", sv.Port, sv.Port != 0},
		{"ReuseAddress", sv.ReuseAddress, sv.ReuseAddress != nil}, {"ReusePort", sv.ReusePort, sv.ReusePort},
		{"IdleTimeout", sv.IdleTimeout, sv.IdleTimeout != 0}} {
		if f.set {
			return &ConfigError{Field: f.name, Value: f.v, Why: "does not apply to a unix socket server (Path is set)"}
		}
	}
	return nil
}
