package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
)

type config struct {
	addr    string
	proto   string
	n       int
	size    int
	conns   int
	timeout time.Duration // per message
	retry   time.Duration // UDP resend interval
	host    string
	port    int
}

func main() { cli.Main(run) }

// usage is echo-client's usage line.
const usage = "usage: echo-client [-addr host:port] [-proto tcp|udp] [-n N] [-size bytes] [-c conns] [-timeout d] [-retry d]"

func parseFlags(args []string, stderr io.Writer) (config, *cli.Command, error) {
	var cfg config
	cmd := cli.NewCommand("echo-client", usage, stderr)
	cmd.StringVar(&cfg.addr, "addr", "127.0.0.1:7007", "echo server `host:port`")
	cmd.StringVar(&cfg.proto, "proto", "tcp", "protocol: tcp or udp")
	cmd.IntVar(&cfg.n, "n", 1000, "messages per connection")
	cmd.IntVar(&cfg.size, "size", 64, "message size in `bytes`")
	cmd.IntVar(&cfg.conns, "c", 1, "concurrent connections")
	cmd.DurationVar(&cfg.timeout, "timeout", 5*time.Second, "give up on a message after this long")
	cmd.DurationVar(&cfg.retry, "retry", 200*time.Millisecond, "UDP: resend a message not echoed within this long")
	if err := cmd.Parse(args, 0); err != nil {
		return cfg, cmd, err
	}
	maxSize := 1 << 24
	if cfg.proto == "udp" {
		maxSize = 65507
	}
	var err error
	cfg.host, cfg.port, err = cli.HostPort("-addr", cfg.addr)
	return cfg, cmd, cli.First(
		cli.OneOf("-proto", cfg.proto, "tcp", "udp"),
		cli.IntRange("-n", cfg.n, 1, math.MaxInt32),
		cli.IntRange("-c", cfg.conns, 1, 1<<16),
		cli.IntRange("-size", cfg.size, 1, maxSize),
		cli.Positive("-timeout", cfg.timeout),
		cli.Positive("-retry", cfg.retry),
		err,
	)
}

// run is the whole program; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
		return code
	}
	res := drive(ctx, cfg)
	res.print(stdout, cfg)
	if res.err != nil {
		fmt.Fprintf(stderr, "echo-client: %v\n", res.err)
		return cli.ExitError
	}
	return cli.ExitOK
}
