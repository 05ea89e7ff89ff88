package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
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

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("echo-client", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:7007", "echo server `host:port`")
	fs.StringVar(&cfg.proto, "proto", "tcp", "protocol: tcp or udp")
	fs.IntVar(&cfg.n, "n", 1000, "messages per connection")
	fs.IntVar(&cfg.size, "size", 64, "message size in `bytes`")
	fs.IntVar(&cfg.conns, "c", 1, "concurrent connections")
	fs.DurationVar(&cfg.timeout, "timeout", 5*time.Second, "give up on a message after this long")
	fs.DurationVar(&cfg.retry, "retry", 200*time.Millisecond, "UDP: resend a message not echoed within this long")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	maxSize := 1 << 24
	if cfg.proto == "udp" {
		maxSize = 65507
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.proto != "tcp" && cfg.proto != "udp":
		return cfg, fmt.Errorf("-proto %q: want tcp or udp", cfg.proto)
	case cfg.n < 1 || cfg.conns < 1:
		return cfg, errors.New("-n and -c must be at least 1")
	case cfg.size < 1 || cfg.size > maxSize:
		return cfg, fmt.Errorf("-size %d: want 1 to %d", cfg.size, maxSize)
	case cfg.timeout <= 0 || cfg.retry <= 0:
		return cfg, errors.New("-timeout and -retry must be positive")
	}
	host, ps, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		return cfg, fmt.Errorf("-addr: %w", err)
	}
	if cfg.port, err = strconv.Atoi(ps); err != nil {
		return cfg, fmt.Errorf("-addr: port %q: %w", ps, err)
	}
	cfg.host = host
	return cfg, nil
}

// run is the whole program; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if code, exit := cli.FlagExit("echo-client", err, stderr); exit {
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
