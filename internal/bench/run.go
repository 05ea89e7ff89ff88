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
	// Pin, when set, binds every server to Pin.ServerCPU and this process
	// (the load generator) to Pin.LoadCPU for the runs against servers.
	Pin *Pinning
}

// Report is the outcome of Run.
type Report struct {
	Config      Config
	Unavailable map[string]error // servers that could not be built, by name
	Cells       []Cell
}

// InProcess is the Results key of scenarios that run inside the harness
// (Scenario.InProcess) rather than against a server.
const InProcess = "in-process"

// Cell holds every repetition of one scenario for every server.
type Cell struct {
	Scenario    Scenario
	Results     map[string][]Result // successful repetitions, by server name (or InProcess)
	Errors      map[string][]error  // failed repetitions, by server name (or InProcess)
	Unsupported map[string]error    // servers that exited with "not supported", by name
}

// Errors of Run.
var (
	ErrBadConfig = errors.New("bench: invalid config")
	// ErrNotSupported marks a server that exited with status 3 at start: it
	// has no implementation for the scenario's mode/protocol pair.
	ErrNotSupported = errors.New("not supported by this server")
)

// exitNotSupported is the exit status by which a server declines a
// mode/protocol pair.
const exitNotSupported = 3

// Run builds the servers once, then for every scenario, repetition and
// server (the server order rotates with the repetition) starts a fresh
// server process on 127.0.0.1:0, drives the scenario's load against it and
// stops it. In-process scenarios run once per repetition instead. A server
// that fails to build is reported unavailable and skipped; a server that
// exits with status 3 is recorded as not supporting the scenario's protocol
// and not started again for it; a failing repetition is recorded in its
// cell and the run continues.
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
	defer func() { _ = os.RemoveAll(dir) }()

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
	if cfg.Pin != nil {
		// After the builds, which may use every CPU.
		if err := PinProcess(0, cfg.Pin.LoadCPU); err != nil {
			return rep, err
		}
		cfg.progressf("pinned: %s", cfg.Pin)
	}
	m := &matrix{cfg: &cfg, bins: bins, live: live, unsupported: map[string]error{}, start: time.Now()}
	for _, sc := range cfg.Scenarios {
		if sc.InProcess() {
			m.total += cfg.Reps
		} else {
			m.total += cfg.Reps * len(live)
		}
	}
	for _, sc := range cfg.Scenarios {
		cell, err := m.runCell(ctx, sc)
		rep.Cells = append(rep.Cells, cell)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// matrix is the state of one Run across cells.
type matrix struct {
	cfg         *Config
	bins        map[string]string
	live        []Server
	unsupported map[string]error // by server name + "/" + protocol
	total, step int
	start       time.Time
}

// rotation returns the server order of repetition r: the list rotated left
// by r, so that every server takes every position in turn.
func rotation(servers []Server, r int) []Server {
	n := len(servers)
	out := make([]Server, n)
	for i := range servers {
		out[i] = servers[(i+r)%n]
	}
	return out
}

// runCell runs every repetition of sc; the error is non-nil only when ctx ended.
func (m *matrix) runCell(ctx context.Context, sc Scenario) (Cell, error) {
	cell := Cell{Scenario: sc, Results: map[string][]Result{}, Errors: map[string][]error{}, Unsupported: map[string]error{}}
	for r := range m.cfg.Reps {
		if sc.InProcess() {
			if err := ctx.Err(); err != nil {
				return cell, err
			}
			l := Load{Warmup: m.cfg.Warmup, Duration: m.cfg.Duration}
			res, err := sc.Run(ctx, l)
			m.record(&cell, InProcess, r, res, err)
			continue
		}
		for _, s := range rotation(m.live, r) {
			if err := ctx.Err(); err != nil {
				return cell, err
			}
			key := s.Name + "/" + sc.Proto()
			if err, ok := m.unsupported[key]; ok {
				cell.Unsupported[s.Name] = err
				m.step++
				m.progressf(sc, r, s.Name, "skipped: %s not supported (seen before)", sc.Proto())
				continue
			}
			if why := s.CannotRun(sc.Kind); why != "" {
				cell.Unsupported[s.Name] = &CannotError{Kind: sc.Kind, Why: why}
				m.step++
				m.progressf(sc, r, s.Name, "n/a: %s", why)
				continue
			}
			res, err := m.cfg.runOne(ctx, m.bins[s.Name], s, sc)
			if errors.Is(err, ErrNotSupported) {
				m.unsupported[key] = err
				cell.Unsupported[s.Name] = err
				m.step++
				m.progressf(sc, r, s.Name, "n/a: %v", err)
				continue
			}
			m.record(&cell, s.Name, r, res, err)
		}
	}
	return cell, nil
}

// record files one repetition's outcome and prints its progress line.
func (m *matrix) record(cell *Cell, name string, r int, res Result, err error) {
	m.step++
	if err != nil {
		cell.Errors[name] = append(cell.Errors[name], err)
		m.progressf(cell.Scenario, r, name, "error: %v", err)
		return
	}
	cell.Results[name] = append(cell.Results[name], res)
	m.progressf(cell.Scenario, r, name, "%s", summary(res))
}

// progressf prints "[step/total eta] scenario rep r/R server: msg".
func (m *matrix) progressf(sc Scenario, r int, name, format string, args ...any) {
	eta := "?"
	if m.step > 0 {
		left := time.Since(m.start) / time.Duration(m.step) * time.Duration(m.total-m.step)
		eta = left.Round(time.Second).String()
	}
	m.cfg.progressf("[%d/%d eta %s] %s rep %d/%d %s: %s", m.step, m.total, eta, sc.Name(), r+1, m.cfg.Reps, name,
		fmt.Sprintf(format, args...))
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

// runOne starts a fresh server, runs one repetition of sc, samples the
// server's CPU and memory over the measurement window, and stops it.
func (cfg *Config) runOne(ctx context.Context, bin string, s Server, sc Scenario) (res Result, err error) {
	runtime.GC() // start every run from a clean client heap
	p, err := StartServer(ctx, bin, s.commandArgs(sc.Proto(), cfg.Loops), cfg.StartTimeout)
	if err != nil {
		if exitCode(err) == exitNotSupported {
			return Result{}, fmt.Errorf("%w: %w", ErrNotSupported, err)
		}
		return Result{}, err
	}
	defer func() {
		if serr := p.Stop(cfg.StopTimeout); serr != nil {
			cfg.progressf("warning: stopping %s: %v", s.Name, serr)
		}
	}()
	if cfg.Pin != nil {
		// Threads the load generator started since the last run inherited
		// its CPU; the server's are moved to their own.
		if err := PinProcess(0, cfg.Pin.LoadCPU); err != nil {
			return Result{}, err
		}
		if err := PinProcess(p.PID(), cfg.Pin.ServerCPU); err != nil {
			return Result{}, err
		}
	}
	mon := newMonitor(p.PID())
	l := Load{Addr: p.Addr, Warmup: cfg.Warmup, Duration: cfg.Duration, PID: p.PID(), OnWindow: mon.window}
	res, err = sc.Run(ctx, l)
	res.Server = mon.finish()
	return res, err
}

func (cfg *Config) progressf(format string, args ...any) {
	fmt.Fprintf(cfg.Progress, format+"\n", args...)
}
