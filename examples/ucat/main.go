package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
)

type config struct {
	listen bool
	udp    bool
	wait   time.Duration // UDP: how long to wait for replies after stdin ends
	host   string
	port   int
}

func main() {
	cli.Main(func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		return run(ctx, args, os.Stdin, stdout, stderr)
	})
}

// errUsage marks a command-line mistake.
var errUsage = errors.New("usage")

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("ucat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ucat [-u] [-l] [-w duration] host port")
		fs.PrintDefaults()
	}
	fs.BoolVar(&cfg.listen, "l", false, "listen for one peer on host:port instead of connecting")
	fs.BoolVar(&cfg.udp, "u", false, "use UDP instead of TCP")
	fs.DurationVar(&cfg.wait, "w", 2*time.Second, "UDP: after stdin ends, stop when no datagram came for this long")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return cfg, fmt.Errorf("%w: want host and port, got %q", errUsage, fs.Args())
	}
	port, err := strconv.Atoi(fs.Arg(1))
	if err != nil {
		return cfg, fmt.Errorf("%w: port %q: %w", errUsage, fs.Arg(1), err)
	}
	if cfg.wait <= 0 {
		return cfg, fmt.Errorf("%w: -w must be positive", errUsage)
	}
	cfg.host, cfg.port = fs.Arg(0), port
	return cfg, nil
}

// run is the whole program; it returns the exit status. ctx ending (SIGINT)
// closes the socket and ends it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if code, exit := cli.FlagExit("ucat", err, stderr); exit {
		return code
	}
	if cfg.udp {
		err = runUDP(ctx, cfg, stdin, stdout, stderr)
	} else {
		err = runTCP(ctx, cfg, stdin, stdout, stderr)
	}
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "ucat: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}
