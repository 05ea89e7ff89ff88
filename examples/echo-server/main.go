package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/reactor/reactortls"
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

// Default per-client timeouts of the TCP servers; see the flags.
const (
	defaultReadTimeout  = 30 * time.Second
	defaultWriteTimeout = 30 * time.Second
	defaultIdleTimeout  = 2 * time.Minute
)

// maxLoops is the reactor's limit on event loops.
const maxLoops = 1024

type config struct {
	addr  string
	proto string
	mode  string
	loops int
	idle  string
	// reusePort lets several echo-servers share the port (SO_REUSEPORT).
	reusePort bool
	debugAddr string // -debug-addr

	tls               bool   // -tls: the reactor TCP server speaks TLS
	certFile, keyFile string // -cert, -key; none: a self-signed certificate
	tlsConfig         *reactortls.Config

	readTimeout, writeTimeout, idleTimeout time.Duration

	host string // from addr
	port int
}

// server is what every mode returns: where it listens, how to stop it,
// and the reactor it runs on (for -debug-addr).
type server interface {
	Addr() string
	Shutdown(ctx context.Context) error
	Reactor() *reactor.Reactor
}

func main() { cli.Main(run) }

// usage is echo-server's usage line.
const usage = "usage: echo-server [-addr host:port] [-proto tcp|udp] [-mode reactor|single|multi] [-loops n] [-idle auto|block|park] [-read-timeout d] [-write-timeout d] [-idle-timeout d] [-reuseport] [-debug-addr host:port] [-tls [-cert file -key file]]"

func parseFlags(args []string, stderr io.Writer) (config, *cli.Command, error) {
	var cfg config
	cmd := cli.NewCommand("echo-server", usage, stderr)
	cmd.StringVar(&cfg.addr, "addr", "127.0.0.1:7007", "`host:port` to listen on (port 0 picks a free port)")
	cmd.StringVar(&cfg.proto, "proto", "tcp", "protocol: tcp or udp")
	cmd.StringVar(&cfg.mode, "mode", "reactor", "server mode: reactor (event-loop callbacks), single (one client at a time), multi (goroutine per client)")
	cmd.IntVar(&cfg.loops, "loops", 0, "event loops, and UDP sockets in reactor mode (0: one per CPU; at most 1024)")
	cmd.StringVar(&cfg.idle, "idle", "auto", "how idle event loops wait: auto, block (epoll_wait, like gnet) or park (Go runtime poller)")
	cmd.DurationVar(&cfg.readTimeout, "read-timeout", defaultReadTimeout, "TCP single/multi: drop a client after a read waits this long (0: never)")
	cmd.DurationVar(&cfg.writeTimeout, "write-timeout", defaultWriteTimeout, "TCP single/multi: drop a client after a write waits this long for it to read (0: never)")
	debugAddr := cmd.DebugAddrFlag()
	cmd.BoolVar(&cfg.reusePort, "reuseport", false, "share the port with other echo-servers run with -reuseport by the same user (SO_REUSEPORT): the kernel spreads clients over them")
	cmd.DurationVar(&cfg.idleTimeout, "idle-timeout", defaultIdleTimeout, "TCP, all modes: drop a client when no data moved for this long (0: never)")
	cmd.BoolVar(&cfg.tls, "tls", false, "reactor TCP: speak TLS (crypto/tls on the event loops)")
	cmd.StringVar(&cfg.certFile, "cert", "", "-tls: PEM certificate `file` (none: a self-signed certificate, its fingerprint printed)")
	cmd.StringVar(&cfg.keyFile, "key", "", "-tls: PEM private key `file` for -cert")
	if err := cmd.Parse(args, 0); err != nil {
		return cfg, cmd, err
	}
	cfg.debugAddr = *debugAddr
	var err error
	cfg.host, cfg.port, err = cli.HostPort("-addr", cfg.addr)
	return cfg, cmd, cli.First(
		cli.OneOf("-mode", cfg.mode, "reactor", "single", "multi"),
		cli.OneOf("-proto", cfg.proto, "tcp", "udp"),
		cli.OneOf("-idle", cfg.idle, "auto", "block", "park"),
		cli.IntRange("-loops", cfg.loops, 0, maxLoops),
		cli.NonNegative("-read-timeout", cfg.readTimeout),
		cli.NonNegative("-write-timeout", cfg.writeTimeout),
		cli.NonNegative("-idle-timeout", cfg.idleTimeout),
		checkTLS(cfg),
		err,
	)
}

// run is the whole program; it returns the exit status and stops when ctx
// ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
		return code
	}
	if cfg.tls {
		if cfg.tlsConfig, err = tlsConfig(cfg, stdout); err != nil {
			fmt.Fprintf(stderr, "echo-server: %v\n", err)
			return exitError
		}
	}
	srv, err := start(ctx, cfg)
	switch {
	case errors.Is(err, errUnsupported):
		fmt.Fprintf(stderr, "echo-server: -mode %s -proto %s: %v\n", cfg.mode, cfg.proto, err)
		return exitUnsupported
	case err != nil:
		fmt.Fprintf(stderr, "echo-server: %v\n", err)
		return exitError
	}
	stopDebug, err := cli.StartDebug(cfg.debugAddr, srv.Reactor(), stdout)
	if err != nil {
		_ = srv.Shutdown(ctx)
		fmt.Fprintf(stderr, "echo-server: %v\n", err)
		return exitError
	}
	defer stopDebug()
	proto := cfg.proto
	if cfg.tls {
		proto += "+tls"
	}
	fmt.Fprintf(stdout, "echo-server (%s, %s) listening on %s\n", cfg.mode, proto, srv.Addr())
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
