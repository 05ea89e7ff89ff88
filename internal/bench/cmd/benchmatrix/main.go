package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/bench"
)

// defaultChart is where the chart goes: beside the code that draws it, so
// the repository's top level keeps only the page.
const defaultChart = "internal/bench/benchmarks.svg"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchmatrix:", err)
		os.Exit(1)
	}
}

type options struct {
	servers, scenarios, out, chart string
	duration, warmup               time.Duration
	reps, loops, idle              int
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchmatrix", flag.ContinueOnError)
	fs.StringVar(&o.servers, "servers", "reactor,single,multi,gnet,std", "comma-separated servers: reactor,single,multi,gnet,std")
	fs.StringVar(&o.scenarios, "scenarios", "", "comma-separated kinds to run: tcp-pingpong,bulk,loopback,udp-pingpong,idle,slow-reader,waitlist (empty = all)")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "measurement window per run (slow-reader: push time; waitlist: both loops)")
	fs.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "warm-up before each window")
	fs.IntVar(&o.reps, "reps", 3, "repetitions per cell and server (medians are reported)")
	fs.IntVar(&o.loops, "loops", 0, "event loops passed to every server (0 = NumCPU)")
	fs.IntVar(&o.idle, "idle-conns", 10000, "connections for the idle-memory scenario")
	fs.StringVar(&o.out, "out", "", "write the Markdown page to this file, with the chart it embeds at -chart (default: tables on stdout)")
	fs.StringVar(&o.chart, "chart", defaultChart, "where -out writes the SVG ratio chart")
	quick := fs.Bool("quick", false, "smoke test: 300ms windows, 100ms warm-up, 1 rep, 1000 idle connections (explicit flags win)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quickDefault(set, "duration", &o.duration, 300*time.Millisecond)
		quickDefault(set, "warmup", &o.warmup, 100*time.Millisecond)
		quickDefault(set, "reps", &o.reps, 1)
		quickDefault(set, "idle-conns", &o.idle, 1000)
	}
	return o, nil
}

func run() error {
	o, err := parse(os.Args[1:])
	if err != nil {
		return err
	}
	list, err := bench.LookupServers(o.servers)
	if err != nil {
		return err
	}
	cells, err := bench.FilterScenarios(bench.DefaultScenarios(o.idle), o.scenarios)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, err := bench.Run(ctx, bench.Config{
		Servers:   list,
		Scenarios: cells,
		Warmup:    o.warmup,
		Duration:  o.duration,
		Reps:      o.reps,
		Loops:     o.loops,
		Progress:  os.Stderr,
	})
	if rep == nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "matrix took %v\n", time.Since(start).Round(time.Second))
	var werr error
	if o.out == "" {
		werr = rep.WriteMarkdown(os.Stdout)
	} else {
		werr = writePage(rep, o.out, o.chart, start)
	}
	if err == nil {
		err = werr
	}
	return err
}

// writePage writes the page to path and the chart it links to to chart.
func writePage(rep *bench.Report, path, chart string, start time.Time) error {
	if err := writeFile(chart, rep.WriteChart); err != nil {
		return err
	}
	link, err := filepath.Rel(filepath.Dir(path), chart)
	if err != nil {
		return fmt.Errorf("chart path: %w", err)
	}
	page := bench.Page{Command: command(os.Args[1:]), Date: start, Machine: bench.DescribeMachine(), Chart: filepath.ToSlash(link)}
	if err := writeFile(path, func(w io.Writer) error { return rep.WritePage(w, page) }); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", path, chart)
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// command is the invocation as a shell command line.
func command(args []string) string {
	parts := []string{"go", "run", "./internal/bench/cmd/benchmatrix"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// quickDefault sets *p to v unless the flag was given explicitly.
func quickDefault[T any](set map[string]bool, name string, p *T, v T) {
	if !set[name] {
		*p = v
	}
}
