package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"
)

// Config is one matrix run.
type Config struct {
	Servers      []Server
	Scenarios    []Scenario
	Warmup       time.Duration // per timed run, before the window
	Duration     time.Duration // measurement window per timed run
	Reps         int           // repetitions per cell and server; medians are reported
	Loops        int           // -loops passed to every server; 0 means runtime.NumCPU()
	ModuleRoot   string        // where server packages are built; "" asks `go env GOMOD`
	StartTimeout time.Duration // bound on waiting for a listening line; 0 means 15 s
	StopTimeout  time.Duration // bound on SIGTERM before SIGKILL; 0 means 5 s
	Progress     io.Writer     // progress lines; nil discards them
}

// Report is the outcome of Run.
type Report struct {
	Config      Config
	Unavailable map[string]error // servers that could not be built, by name
	Cells       []Cell
}

// Cell holds every repetition of one scenario for every server.
type Cell struct {
	Scenario Scenario
	Results  map[string][]Result // successful repetitions, by server name
	Errors   map[string][]error  // failed repetitions, by server name
}

// ErrBadConfig reports an unusable Config.
var ErrBadConfig = errors.New("bench: invalid config")

// Run builds the servers once, then for every scenario, repetition and
// server (the server order rotates with the repetition) starts a fresh
// server process on 127.0.0.1:0, drives the scenario's load against it and
// stops it. A server that fails to build is reported unavailable and skipped;
// a failing repetition is recorded in its cell and the run continues.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if len(cfg.Servers) == 0 || len(cfg.Scenarios) == 0 || cfg.Reps <= 0 || cfg.Duration <= 0 {
		return nil, fmt.Errorf("%w: need servers, scenarios, reps > 0 and duration > 0", ErrBadConfig)
	}
	cfg.fillDefaults()
	if cfg.ModuleRoot == "" {
		root, err := ModuleRoot(ctx)
		if err != nil {
			return nil, err
		}
		cfg.ModuleRoot = root
	}
	dir, err := os.MkdirTemp("", "benchmatrix-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)

	cfg.progressf("building %d server(s) into %s", len(cfg.Servers), dir)
	bins, fails := BuildServers(ctx, cfg.ModuleRoot, dir, cfg.Servers)
	rep := &Report{Config: cfg, Unavailable: fails}
	var live []Server
	for _, s := range cfg.Servers {
		if err, failed := fails[s.Name]; failed {
			cfg.progressf("server %s unavailable, its cells are skipped: %v", s.Name, err)
			continue
		}
		live = append(live, s)
	}
	total := len(cfg.Scenarios) * cfg.Reps * len(live)
	step := 0
	for _, sc := range cfg.Scenarios {
		cell := Cell{Scenario: sc, Results: map[string][]Result{}, Errors: map[string][]error{}}
		for r := range cfg.Reps {
			for i := range live {
				s := live[(i+r)%len(live)]
				if err := ctx.Err(); err != nil {
					return rep, err
				}
				step++
				res, err := cfg.runOne(ctx, bins[s.Name], s, sc)
				if err != nil {
					cell.Errors[s.Name] = append(cell.Errors[s.Name], err)
					cfg.progressf("[%d/%d] %s rep %d/%d %s: error: %v", step, total, sc.Name(), r+1, cfg.Reps, s.Name, err)
					continue
				}
				cell.Results[s.Name] = append(cell.Results[s.Name], res)
				cfg.progressf("[%d/%d] %s rep %d/%d %s: %s", step, total, sc.Name(), r+1, cfg.Reps, s.Name, summary(res))
			}
		}
		rep.Cells = append(rep.Cells, cell)
	}
	return rep, nil
}

func (cfg *Config) fillDefaults() {
	if cfg.Loops <= 0 {
		cfg.Loops = runtime.NumCPU()
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 15 * time.Second
	}
	if cfg.StopTimeout <= 0 {
		cfg.StopTimeout = 5 * time.Second
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
}

// runOne starts a fresh server, runs one repetition of sc and stops it.
func (cfg *Config) runOne(ctx context.Context, bin string, s Server, sc Scenario) (res Result, err error) {
	runtime.GC() // start every run from a clean client heap
	p, err := StartServer(ctx, bin, s.commandArgs(sc.Proto(), cfg.Loops), cfg.StartTimeout)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		if serr := p.Stop(cfg.StopTimeout); serr != nil {
			cfg.progressf("warning: stopping %s: %v", s.Name, serr)
		}
	}()
	l := Load{Addr: p.Addr, Warmup: cfg.Warmup, Duration: cfg.Duration, PID: p.PID()}
	return sc.Run(ctx, l)
}

func (cfg *Config) progressf(format string, args ...any) {
	fmt.Fprintf(cfg.Progress, format+"\n", args...)
}
