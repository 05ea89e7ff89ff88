// Command benchmatrix compares echo servers run as separate processes on
// loopback and prints a Markdown table of medians.
//
//	go run ./internal/bench/cmd/benchmatrix -servers reactor,gnet,std
//	go run ./internal/bench/cmd/benchmatrix -servers gnet,std -quick
//
// Progress goes to stderr, the table to stdout. See package bench.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchmatrix:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("benchmatrix", flag.ContinueOnError)
	servers := fs.String("servers", "reactor,gnet,std", "comma-separated servers: reactor,single,multi,gnet,std")
	scenarios := fs.String("scenarios", "", "comma-separated kinds to run: tcp-pingpong,bulk,udp-pingpong,idle (empty = all)")
	duration := fs.Duration("duration", 3*time.Second, "measurement window per run")
	warmup := fs.Duration("warmup", 500*time.Millisecond, "warm-up before each window")
	reps := fs.Int("reps", 3, "repetitions per cell and server (medians are reported)")
	loops := fs.Int("loops", 0, "event loops passed to every server (0 = NumCPU)")
	idle := fs.Int("idle-conns", 10000, "connections for the idle-memory scenario")
	quick := fs.Bool("quick", false, "smoke test: 300ms windows, 100ms warm-up, 1 rep, 1000 idle connections (explicit flags win)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quickDefault(set, "duration", duration, 300*time.Millisecond)
		quickDefault(set, "warmup", warmup, 100*time.Millisecond)
		quickDefault(set, "reps", reps, 1)
		quickDefault(set, "idle-conns", idle, 1000)
	}
	list, err := bench.LookupServers(*servers)
	if err != nil {
		return err
	}
	cells, err := bench.FilterScenarios(bench.DefaultScenarios(*idle), *scenarios)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, err := bench.Run(ctx, bench.Config{
		Servers:   list,
		Scenarios: cells,
		Warmup:    *warmup,
		Duration:  *duration,
		Reps:      *reps,
		Loops:     *loops,
		Progress:  os.Stderr,
	})
	if rep != nil {
		fmt.Fprintf(os.Stderr, "matrix took %v\n", time.Since(start).Round(time.Second))
		if werr := rep.WriteMarkdown(os.Stdout); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// quickDefault sets *p to v unless the flag was given explicitly.
func quickDefault[T any](set map[string]bool, name string, p *T, v T) {
	if !set[name] {
		*p = v
	}
}
