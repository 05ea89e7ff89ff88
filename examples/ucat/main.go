package main

import (
	"context"
	"fmt"
	"io"
	"os"
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

// usage is ucat's usage line.
const usage = "usage: ucat [-u] [-l] [-w duration] host port"

func parseFlags(args []string, stderr io.Writer) (config, *cli.Command, error) {
	var cfg config
	cmd := cli.NewCommand("ucat", usage, stderr)
	cmd.BoolVar(&cfg.listen, "l", false, "listen for one peer on host:port instead of connecting")
	cmd.BoolVar(&cfg.udp, "u", false, "use UDP instead of TCP")
	cmd.DurationVar(&cfg.wait, "w", 2*time.Second, "UDP: after stdin ends, stop when no datagram came for this long")
	if err := cmd.Parse(args, 2); err != nil {
		return cfg, cmd, err
	}
	port, err := cli.Port("port", cmd.Arg(1))
	if err == nil {
		err = cli.Positive("-w", cfg.wait)
	}
	cfg.host, cfg.port = cmd.Arg(0), port
	return cfg, cmd, err
}

// run is the whole program; it returns the exit status. ctx ending (SIGINT)
// closes the socket and ends it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
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
