package bench

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestRunMatrixAgainstStdEcho(t *testing.T) {
	var progress strings.Builder
	ghost := Server{Name: "ghost", Build: "./internal/bench/cmd/does-not-exist"}
	// The test binary as a server that exits with status 3, as echo-server
	// does for a mode/protocol pair it does not support.
	t.Setenv(helperEnv, helperExit)
	unsup := Server{Name: "unsup", Binary: os.Args[0]}
	std, err := LookupServers("std")
	if err != nil {
		t.Fatal(err)
	}
	// Build std before the timed run: compiling competes for the CPU with
	// every other package's tests, so it gets a bound of its own.
	std[0].Binary = buildForTest(t, std[0])
	// The same server, declared unable to run the idle scenario: its idle
	// cell is n/a without a start, not an error.
	picky := std[0]
	picky.Name = "picky"
	picky.Cannot = map[Kind]string{KindIdle: "by design"}
	cfg := Config{
		Servers: []Server{ghost, unsup, std[0], picky},
		Scenarios: []Scenario{
			{Kind: KindTCPPingPong, Conns: 2, Size: 64},
			{Kind: KindBulk, Conns: 1, Size: 64 << 10},
			{Kind: KindLoopback, Conns: 1, Size: 64 << 10},
			{Kind: KindUDPPingPong, Conns: 1, Size: 64},
			{Kind: KindIdle, Conns: 20, Size: idleProbeSize},
			{Kind: KindSlowReader, Conns: 3, Size: 64 << 10},
			{Kind: KindWaitlist, Conns: 10},
		},
		Duration: 100 * time.Millisecond,
		Reps:     2,
		Progress: &progress,
	}
	rep, err := Run(testCtx(t), cfg)
	if err != nil {
		t.Fatalf("Run: %v\nprogress:\n%s", err, progress.String())
	}
	var be *BuildError
	if !errors.As(rep.Unavailable["ghost"], &be) {
		t.Errorf("ghost unavailable = %v, want a *BuildError", rep.Unavailable["ghost"])
	}
	for _, c := range rep.Cells {
		name := "std"
		if c.Scenario.InProcess() {
			name = InProcess
		} else if !errors.Is(c.Unsupported["unsup"], ErrNotSupported) || len(c.Results["unsup"])+len(c.Errors["unsup"]) != 0 {
			t.Errorf("%s: unsup = %v, results %v, errors %v; want only ErrNotSupported", c.Scenario.Name(),
				c.Unsupported["unsup"], c.Results["unsup"], c.Errors["unsup"])
		}
		rs := c.Results[name]
		if len(rs) != 2 || len(c.Errors[name]) != 0 {
			t.Errorf("%s: %d results, errors %v", c.Scenario.Name(), len(rs), c.Errors[name])
			continue
		}
		for _, r := range rs {
			if r.Count == 0 || r.Mismatches != 0 {
				t.Errorf("%s: %+v", c.Scenario.Name(), r)
			}
			sampled := c.Scenario.Kind != KindIdle && !c.Scenario.InProcess()
			if r.Server.Sampled != sampled || (sampled && r.Server.RSSKiB <= 0) {
				t.Errorf("%s: server usage %+v, want sampled=%v", c.Scenario.Name(), r.Server, sampled)
			}
		}
	}
	for _, c := range rep.Cells {
		var ce *CannotError
		err, ok := c.Unsupported["picky"]
		switch {
		case c.Scenario.Kind == KindIdle && (!ok || !errors.As(err, &ce) || !errors.Is(err, ErrNotSupported)):
			t.Errorf("idle: picky unsupported = %v, want a *CannotError", err)
		case c.Scenario.Kind != KindIdle && !c.Scenario.InProcess() && len(c.Results["picky"]) != 2:
			t.Errorf("%s: picky ran %d times, want 2", c.Scenario.Name(), len(c.Results["picky"]))
		}
	}
	// Two starts of unsup at most (tcp, udp): "not supported" is remembered per protocol.
	if n := strings.Count(progress.String(), "unsup: n/a"); n != 2 {
		t.Errorf("unsup was started %d times, want 2 (once per protocol):\n%s", n, progress.String())
	}
	var md strings.Builder
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, want := range []string{
		"| scenario | unit | ghost | unsup | std | picky |",
		"| tcp-pingpong c2 64B | rt/s | n/a | n/a | ",
		"(1.00×)",
		"| idle c20 16B | KiB/conn | n/a | n/a |",
		" | n/a |\n| slow-reader", // picky's idle cell, the row's last
		"| loopback c1 64KiB (reference: one stream, no server) | ",
		"| slow-reader c3 64KiB | MiB growth | n/a | n/a | ",
		"| 10 | ",
		"`ghost` unavailable: go build ./internal/bench/cmd/does-not-exist",
		"`unsup` does not support tcp",
		"`unsup` does not support udp",
		"`picky` cannot run idle (n/a in every idle row): by design",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestRunRejectsEmptyConfig(t *testing.T) {
	if _, err := Run(testCtx(t), Config{}); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("err = %v, want ErrBadConfig", err)
	}
}

// buildBound bounds `go build` of one server; under `go test ./...` the
// compiler shares the machine with every other package's tests.
const buildBound = 5 * time.Minute

// buildForTest builds s into a temporary directory and returns the binary.
func buildForTest(t *testing.T, s Server) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), buildBound)
	defer cancel()
	root, err := ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bins, fails := BuildServers(ctx, root, t.TempDir(), []Server{s})
	if err := fails[s.Name]; err != nil {
		t.Fatal(err)
	}
	return bins[s.Name]
}
