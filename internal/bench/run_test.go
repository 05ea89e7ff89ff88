package bench

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRunMatrixAgainstStdEcho(t *testing.T) {
	var progress strings.Builder
	ghost := Server{Name: "ghost", Build: "./internal/bench/cmd/does-not-exist"}
	std, err := LookupServers("std")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Servers: []Server{ghost, std[0]},
		Scenarios: []Scenario{
			{Kind: KindTCPPingPong, Conns: 2, Size: 64},
			{Kind: KindBulk, Conns: 1, Size: 64 << 10},
			{Kind: KindUDPPingPong, Conns: 1, Size: 64},
			{Kind: KindIdle, Conns: 20, Size: idleProbeSize},
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
		rs := c.Results["std"]
		if len(rs) != 2 || len(c.Errors["std"]) != 0 {
			t.Errorf("%s: %d results, errors %v", c.Scenario.Name(), len(rs), c.Errors["std"])
			continue
		}
		for _, r := range rs {
			if r.Count == 0 || r.Mismatches != 0 {
				t.Errorf("%s: %+v", c.Scenario.Name(), r)
			}
		}
	}
	var md strings.Builder
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, want := range []string{
		"| scenario | unit | ghost | std |",
		"| tcp-pingpong c2 64B | rt/s | n/a | ",
		"(1.00×)",
		"| idle c20 16B | KiB/conn | n/a |",
		"`ghost` unavailable: go build ./internal/bench/cmd/does-not-exist",
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
