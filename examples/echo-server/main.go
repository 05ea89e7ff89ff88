// Command echo-server serves an echo service, to try the project or to
// benchmark it:
//
//	go run ./examples/echo-server                 # reactor mode, TCP, 127.0.0.1:7007
//	go run ./examples/echo-server -mode multi -addr 127.0.0.1:0
//
// It prints the address it listens on and stops cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// exitUnsupported is the status for a mode/protocol pair not built yet.
const exitUnsupported = 3

// errUnsupported marks a mode/protocol pair that has no server yet.
var errUnsupported = errors.New("not supported yet")

type config struct {
	addr  string
	proto string
	mode  string
	loops int
}

// server is what every mode returns: where it listens and how to stop it.
type server interface {
	Addr() string
	Shutdown(ctx context.Context) error
}

func main() {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:7007", "`host:port` to listen on (port 0 picks a free port)")
	flag.StringVar(&cfg.proto, "proto", "tcp", "protocol: tcp or udp")
	flag.StringVar(&cfg.mode, "mode", "reactor", "server mode: reactor (event-loop callbacks), single (one client at a time), multi (goroutine per client)")
	flag.IntVar(&cfg.loops, "loops", 0, "event loops for the reactor (0: one per CPU)")
	flag.Parse()
	os.Exit(run(cfg, os.Stdout, os.Stderr))
}

func run(cfg config, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := start(ctx, cfg)
	if errors.Is(err, errUnsupported) {
		fmt.Fprintf(stderr, "echo-server: -mode %s -proto %s: %v\n", cfg.mode, cfg.proto, err)
		return exitUnsupported
	}
	if err != nil {
		fmt.Fprintf(stderr, "echo-server: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "echo-server (%s, %s) listening on %s\n", cfg.mode, cfg.proto, srv.Addr())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "echo-server: shutdown: %v\n", err)
		return 1
	}
	return 0
}
