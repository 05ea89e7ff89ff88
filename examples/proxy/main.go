package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/reactor"
)

// shutdownGrace is how long open pairs get to finish on a stop.
const shutdownGrace = 2 * time.Second

type config struct {
	addr, to    string
	loops       int
	dialTimeout time.Duration
	idle        time.Duration
	debugAddr   string
}

func main() { cli.Main(run) }

// usage is the one-line usage printed with every usage error.
const usage = "usage: proxy [-addr host:port] [-to host:port] [flags]"

func parseFlags(args []string, stderr io.Writer) (config, *cli.Command, error) {
	var cfg config
	cmd := cli.NewCommand("proxy", usage, stderr)
	cmd.StringVar(&cfg.addr, "addr", "127.0.0.1:7008", "`host:port` to listen on (port 0 picks a free port)")
	cmd.StringVar(&cfg.to, "to", "127.0.0.1:7007", "`host:port` to proxy to")
	cmd.IntVar(&cfg.loops, "loops", 0, "event loops (0: one per CPU; at most 1024)")
	cmd.DurationVar(&cfg.dialTimeout, "dial-timeout", 5*time.Second, "bound on connecting to -to")
	cmd.DurationVar(&cfg.idle, "idle-timeout", 5*time.Minute, "close a pair on which nothing moved for this long (0: never)")
	debugAddr := cmd.DebugAddrFlag()
	if err := cmd.Parse(args, 0); err != nil {
		return cfg, cmd, err
	}
	cfg.debugAddr = *debugAddr
	_, _, aerr := cli.HostPort("-addr", cfg.addr)
	_, _, terr := cli.HostPort("-to", cfg.to)
	return cfg, cmd, cli.First(
		aerr, terr,
		cli.IntRange("-loops", cfg.loops, 0, 1024),
		cli.Positive("-dial-timeout", cfg.dialTimeout),
		cli.NonNegative("-idle-timeout", cfg.idle),
	)
}

// run is the whole program; it returns the exit status and stops when ctx
// ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	p, ln, err := start(ctx, cfg, func(err error) { log.Warn("proxy", "err", err) })
	if err != nil {
		fmt.Fprintf(stderr, "proxy: %v\n", err)
		return cli.ExitError
	}
	stopDebug, err := cli.StartDebug(cfg.debugAddr, p.r, stdout)
	if err != nil {
		_ = p.stop()
		fmt.Fprintf(stderr, "proxy: %v\n", err)
		return cli.ExitError
	}
	defer stopDebug()
	fmt.Fprintf(stdout, "proxy to %s listening on %s\n", cfg.to, ln.Addr())
	<-ctx.Done()
	if err := p.stop(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "proxy: shutdown: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}

// start makes the proxy's reactor and listener.
func start(ctx context.Context, cfg config, report func(error)) (*proxy, *reactor.Listener, error) {
	r, err := reactor.New(reactor.WithLoops(cfg.loops), reactor.WithIdleTimeout(cfg.idle), reactor.WithErrorHook(report))
	if err != nil {
		return nil, nil, err
	}
	pctx, cancel := context.WithCancel(context.Background())
	p := &proxy{r: r, to: cfg.to, dialTimeout: cfg.dialTimeout, report: report, ctx: pctx, cancel: cancel, live: map[*side]struct{}{}}
	ln, err := r.Listen(ctx, "tcp", cfg.addr, inbound{p})
	if err != nil {
		_ = p.stop()
		return nil, nil, err
	}
	return p, ln, nil
}

// stop cancels dials in flight, then shuts the reactor down gracefully
// (queued bytes are flushed, bounded by shutdownGrace).
func (p *proxy) stop() error {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return p.r.Shutdown(ctx)
}
