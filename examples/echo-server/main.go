package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
)

// Exit statuses.
const (
	exitOK          = cli.ExitOK
	exitError       = cli.ExitError
	exitUsage       = cli.ExitUsage
	exitUnsupported = 3
)

// errUnsupported marks a mode/protocol pair that has no server.
var errUnsupported = errors.New("not supported")

// shutdownGrace is how long running clients get to finish on a stop.
const shutdownGrace = 2 * time.Second

type config struct {
	addr  string
	proto string
	mode  string
	loops int
	idle  string
}

// server is what every mode returns: where it listens and how to stop it.
type server interface {
	Addr() string
	Shutdown(ctx context.Context) error
}

func main() { cli.Main(run) }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("echo-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:7007", "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&cfg.proto, "proto", "tcp", "protocol: tcp or udp")
	fs.StringVar(&cfg.mode, "mode", "reactor", "server mode: reactor (event-loop callbacks), single (one client at a time), multi (goroutine per client)")
	fs.IntVar(&cfg.loops, "loops", 0, "event loops, and UDP sockets in reactor mode (0: one per CPU)")
	fs.StringVar(&cfg.idle, "idle", "auto", "how idle event loops wait: auto, block (epoll_wait, like gnet) or park (Go runtime poller)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.loops < 0 {
		return cfg, fmt.Errorf("-loops %d is negative", cfg.loops)
	}
	return cfg, nil
}

// run is the whole program; it returns the exit status and stops when ctx
// ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if code, exit := cli.FlagExit("echo-server", err, stderr); exit {
		return code
	}
	srv, err := start(ctx, cfg)
	switch {
	case errors.Is(err, errUnsupported):
		fmt.Fprintf(stderr, "echo-server: -mode %s -proto %s: %v\n", cfg.mode, cfg.proto, err)
		return exitUnsupported
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "echo-server: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "echo-server: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "echo-server (%s, %s) listening on %s\n", cfg.mode, cfg.proto, srv.Addr())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "echo-server: clients still connected after %v were disconnected\n", shutdownGrace)
	case err != nil:
		fmt.Fprintf(stderr, "echo-server: shutdown: %v\n", err)
		return exitError
	}
	return exitOK
}
