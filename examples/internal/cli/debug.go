package cli

import (
	"context"
	"expvar"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// The examples run one reactor per process; /debug/vars shows the one the
// last ServeDebug was given (expvar names cannot be unpublished).
var (
	debugReactor atomic.Pointer[reactor.Reactor]
	publishOnce  sync.Once
)

// ServeDebug serves, on addr, /debug/vars (expvar, with r's Stats under
// "reactor") and /debug/pprof/ (the runtime profiles), until stop is
// called. It returns the address it listens on; binding errors come back
// before anything is served. The endpoints are for an operator: bind them
// to loopback, never to an address the internet reaches.
func ServeDebug(addr string, r *reactor.Reactor) (bound net.Addr, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if r != nil {
		debugReactor.Store(r)
		publishOnce.Do(func() {
			expvar.Publish("reactor", expvar.Func(func() any {
				if cur := debugReactor.Load(); cur != nil {
					return cur.Stats()
				}
				return nil
			}))
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/debug/vars", expvar.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // http.ErrServerClosed after stop
	}()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
		<-done
	}
	return ln.Addr(), stop, nil
}

// DebugAddrFlag adds the examples' -debug-addr flag to c.
func (c *Command) DebugAddrFlag() *string {
	return c.String("debug-addr", "", "serve /debug/vars (the reactor's Stats) and /debug/pprof/ on this loopback `host:port` (empty: off)")
}

// StartDebug serves the debug endpoints on addr, unless addr is empty,
// and prints where on stdout. stop ends them (a no-op when addr is empty).
func StartDebug(addr string, r *reactor.Reactor, stdout io.Writer) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	bound, stop, err := ServeDebug(addr, r)
	if err != nil {
		return nil, fmt.Errorf("-debug-addr: %w", err)
	}
	fmt.Fprintf(stdout, "debug endpoints at http://%s/debug/vars and /debug/pprof/\n", bound)
	return stop, nil
}
