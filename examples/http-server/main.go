package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// usage is the one-line usage printed with every usage error.
const usage = "usage: http-server [-addr host:port] [-get URL] [flags]"

func parseFlags(args []string, stderr io.Writer) (config, *cli.Command, error) {
	var cfg config
	cmd := cli.NewCommand("http-server", usage, stderr)
	cmd.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free port)")
	cmd.StringVar(&cfg.get, "get", "", "fetch this `URL` through usocket's Dialer, print the body and exit, instead of serving")
	cmd.DurationVar(&cfg.readTimeout, "read-timeout", 10*time.Second, "bound on reading a request, headers included (also the client's timeout with -get)")
	cmd.DurationVar(&cfg.writeTimeout, "write-timeout", 30*time.Second, "bound on writing a reply")
	cmd.DurationVar(&cfg.idleTimeout, "idle-timeout", 60*time.Second, "close a kept-alive connection idle for this long")
	cmd.Int64Var(&cfg.maxBody, "max-body", 1<<20, "largest request body /echo accepts, in bytes")
	if err := cmd.Parse(args, 0); err != nil {
		return cfg, cmd, err
	}
	_, _, aerr := cli.HostPort("-addr", cfg.addr)
	var berr error
	if cfg.maxBody <= 0 {
		berr = cli.Usagef("-max-body %d: want a positive size", cfg.maxBody)
	}
	return cfg, cmd, cli.First(
		aerr, berr,
		cli.Positive("-read-timeout", cfg.readTimeout),
		cli.Positive("-write-timeout", cfg.writeTimeout),
		cli.Positive("-idle-timeout", cfg.idleTimeout),
	)
}

// run is the whole program; it returns the exit status and stops when ctx
// ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
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
