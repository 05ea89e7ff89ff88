package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/bench"
)

// The committed page and its chart, relative to the module root. The chart
// sits beside the code that draws it, so the top level keeps only the page.
const (
	committedPage  = "BENCHMARKS.md"
	committedChart = "internal/bench/benchmarks.svg"
)

func main() {
	err := run()
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h: the flag package printed the usage already.
	case err != nil:
		fmt.Fprintln(os.Stderr, "benchmatrix:", err)
		os.Exit(1)
	}
}

// usageOut receives the usage text and flag errors (tests replace it).
var usageOut io.Writer = os.Stderr

type options struct {
	servers, scenarios, out, chart string
	duration, warmup               time.Duration
	reps, loops, idle              int
	overwrite, pin                 bool
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchmatrix", flag.ContinueOnError)
	fs.SetOutput(usageOut)
	fs.StringVar(&o.servers, "servers", "reactor,single,multi,gnet,std", "comma-separated servers, from: "+bench.ServerNames())
	fs.StringVar(&o.scenarios, "scenarios", "", "comma-separated kinds to run: tcp-pingpong,bulk,loopback,udp-pingpong,idle,slow-reader,waitlist (empty = all)")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "measurement window per run (slow-reader: push time; waitlist: both loops)")
	fs.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "warm-up before each window")
	fs.IntVar(&o.reps, "reps", 3, "repetitions per cell and server (medians are reported)")
	fs.IntVar(&o.loops, "loops", 0, "event loops passed to every server (0 = NumCPU)")
	fs.IntVar(&o.idle, "idle-conns", 10000, "connections for the idle-memory scenario")
	fs.StringVar(&o.out, "out", "", "write the Markdown page to this file, with the chart it embeds at -chart (default: tables on stdout)")
	fs.StringVar(&o.chart, "chart", "", "where -out writes the SVG ratio chart (default: "+committedChart+" for the committed "+committedPage+", else beside -out with the extension .svg)")
	fs.BoolVar(&o.overwrite, "overwrite", false, "allow -out and -chart to replace files committed to git (as regenerating "+committedPage+" does)")
	fs.BoolVar(&o.pin, "pin", false, "pin every server to one CPU and the load generator to another (Linux, 2+ CPUs), for steadier c1 cells")
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
	return o, o.validate()
}

// errBadFlag reports a flag value that would only fail once the run is
// under way, or be silently replaced.
var errBadFlag = errors.New("invalid flag")

// validate rejects, before anything is built or run, values that the run
// would fail on only later (every cell of a scenario erroring out after
// minutes) or would quietly replace.
func (o options) validate() error {
	switch {
	case o.reps < 1:
		return fmt.Errorf("%w: -reps %d, want at least 1", errBadFlag, o.reps)
	case o.duration <= 0:
		return fmt.Errorf("%w: -duration %v, want more than 0", errBadFlag, o.duration)
	case o.warmup < 0:
		return fmt.Errorf("%w: -warmup %v is negative", errBadFlag, o.warmup)
	case o.loops < 0:
		return fmt.Errorf("%w: -loops %d is negative (0 means NumCPU)", errBadFlag, o.loops)
	case o.idle < 1:
		return fmt.Errorf("%w: -idle-conns %d, want at least 1", errBadFlag, o.idle)
	case o.chart != "" && o.out == "":
		return fmt.Errorf("%w: -chart needs -out (without -out the tables go to stdout and no chart is drawn)", errBadFlag)
	case o.overwrite && o.out == "":
		return fmt.Errorf("%w: -overwrite needs -out", errBadFlag)
	}
	return nil
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
	var pin *bench.Pinning
	if o.pin {
		p, err := bench.PlanPinning()
		if err != nil {
			return fmt.Errorf("-pin: %w", err)
		}
		pin = &p
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var dest *outputs
	if o.out != "" {
		// Every check on where results go happens before the long run.
		if dest, err = planOutputs(ctx, o); err != nil {
			return err
		}
	}
	start := time.Now()
	rep, err := bench.Run(ctx, bench.Config{
		Servers:   list,
		Scenarios: cells,
		Warmup:    o.warmup,
		Duration:  o.duration,
		Reps:      o.reps,
		Loops:     o.loops,
		Progress:  os.Stderr,
		Pin:       pin,
	})
	if rep == nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "matrix took %v\n", time.Since(start).Round(time.Second))
	var werr error
	if dest == nil {
		werr = rep.WriteMarkdown(os.Stdout)
	} else {
		werr = writePage(rep, dest, start)
	}
	if err == nil {
		err = werr
	}
	return err
}

// writePage writes the page and the chart it links to.
func writePage(rep *bench.Report, dest *outputs, start time.Time) error {
	if err := writeFile(dest.chart, rep.WriteChart); err != nil {
		return err
	}
	page := bench.Page{Command: command(os.Args[1:]), Date: start, Machine: bench.DescribeMachine(), Chart: dest.link}
	if err := writeFile(dest.page, func(w io.Writer) error { return rep.WritePage(w, page) }); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", dest.page, dest.chart)
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
