package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
)

// shutdownGrace is how long requests in flight get to finish on a stop.
const shutdownGrace = 5 * time.Second

type config struct {
	addr, get                              string
	readTimeout, writeTimeout, idleTimeout time.Duration
	maxBody                                int64
}

func main() { cli.Main(run) }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("http-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&cfg.get, "get", "", "fetch this `URL` through usocket's Dialer, print the body and exit, instead of serving")
	fs.DurationVar(&cfg.readTimeout, "read-timeout", 10*time.Second, "bound on reading a request, headers included (also the client's timeout with -get)")
	fs.DurationVar(&cfg.writeTimeout, "write-timeout", 30*time.Second, "bound on writing a reply")
	fs.DurationVar(&cfg.idleTimeout, "idle-timeout", 60*time.Second, "close a kept-alive connection idle for this long")
	fs.Int64Var(&cfg.maxBody, "max-body", 1<<20, "largest request body /echo accepts, in bytes")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.readTimeout <= 0 || cfg.writeTimeout <= 0 || cfg.idleTimeout <= 0:
		return cfg, errors.New("timeouts must be positive")
	case cfg.maxBody <= 0:
		return cfg, fmt.Errorf("-max-body %d is not positive", cfg.maxBody)
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// run is the whole program; it returns the exit status and stops when ctx
// ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if code, exit := cli.FlagExit("http-server", err, stderr); exit {
		return code
	}
	if cfg.get != "" {
		if err := get(ctx, cfg.get, cfg.readTimeout, stdout); err != nil {
			fmt.Fprintf(stderr, "http-server: %v\n", err)
			return cli.ExitError
		}
		return cli.ExitOK
	}
	ln, err := listen(ctx, cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "http-server: %v\n", err)
		return cli.ExitError
	}
	srv := newServer(cfg)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "http-server listening on %s\n", ln.Addr())
	select {
	case err = <-served:
		fmt.Fprintf(stderr, "http-server: %v\n", err)
		return cli.ExitError
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		fmt.Fprintf(stderr, "http-server: shutdown: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}
