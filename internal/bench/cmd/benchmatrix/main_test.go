package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/bench"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCommandQuotesShellWords(t *testing.T) {
	got := command([]string{"-quick", "-out", "/tmp/my page.md", "-scenarios", "", "it's"})
	want := `go run ./internal/bench/cmd/benchmatrix -quick -out '/tmp/my page.md' -scenarios '' 'it'\''s'`
	if got != want {
		t.Fatalf("command =\n%s\nwant\n%s", got, want)
	}
}

func TestParseQuickKeepsExplicitFlags(t *testing.T) {
	o, err := parse([]string{"-quick", "-reps", "2", "-out", "x.md"})
	if err != nil {
		t.Fatal(err)
	}
	if o.reps != 2 || o.duration != 300*time.Millisecond || o.idle != 1000 || o.out != "x.md" {
		t.Fatalf("parse = %+v", o)
	}
	o, err = parse(nil)
	if err != nil || o.servers != "reactor,single,multi,gnet,std" || o.reps != 3 || o.duration != 3*time.Second {
		t.Fatalf("defaults = %+v, %v", o, err)
	}
	if _, err := parse([]string{"stray"}); err == nil {
		t.Fatal("stray argument accepted")
	}
}

func TestPlanOutputsChecksBeforeTheRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// A page outside the repository gets its chart beside it, linked by a
	// relative path (an absolute -out used to fail only after the run).
	d, err := planOutputs(ctx, options{out: filepath.Join(dir, "page.md")})
	if err != nil {
		t.Fatal(err)
	}
	if d.chart != filepath.Join(dir, "page.svg") || d.link != "page.svg" {
		t.Fatalf("plan = %+v", d)
	}
	// A directory that does not exist fails before the run.
	if _, err := planOutputs(ctx, options{out: filepath.Join(dir, "missing", "page.md")}); err == nil {
		t.Fatal("unwritable -out accepted")
	}
	if _, err := planOutputs(ctx, options{out: filepath.Join(dir, "p.md"), chart: filepath.Join(dir, "p.md")}); err == nil {
		t.Fatal("same -out and -chart accepted")
	}
	// The committed page and chart are refused unless -overwrite.
	root, err := bench.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(root, committedPage)
	if _, err := planOutputs(ctx, options{out: page}); !errors.Is(err, errCommitted) {
		t.Fatalf("committed page: err = %v, want errCommitted", err)
	}
	if _, err := planOutputs(ctx, options{out: filepath.Join(dir, "x.md"), chart: filepath.Join(root, committedChart)}); !errors.Is(err, errCommitted) {
		t.Fatalf("committed chart: err = %v, want errCommitted", err)
	}
	d, err = planOutputs(ctx, options{out: page, overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.chart != filepath.Join(root, committedChart) || d.link != committedChart {
		t.Fatalf("committed plan = %+v", d)
	}
}

func TestHelpListsEveryServer(t *testing.T) {
	var usage strings.Builder
	usageOut = &usage
	t.Cleanup(func() { usageOut = os.Stderr })
	_, err := parse([]string{"-h"})
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("parse(-h) = %v, want flag.ErrHelp (main exits 0 on it)", err)
	}
	for _, s := range bench.KnownServers {
		if !strings.Contains(usage.String(), s.Name) {
			t.Errorf("help omits server %s:\n%s", s.Name, usage.String())
		}
	}
}

// TestParseRejectsBadValuesBeforeTheRun: values the run would only fail on
// minutes later, or silently replace, stop it at once.
func TestParseRejectsBadValuesBeforeTheRun(t *testing.T) {
	for _, args := range [][]string{
		{"-reps", "0"},
		{"-duration", "0s"},
		{"-warmup", "-1s"},
		{"-loops", "-1"},
		{"-idle-conns", "0"},
		{"-chart", "x.svg"},
		{"-overwrite"},
	} {
		if _, err := parse(args); !errors.Is(err, errBadFlag) {
			t.Errorf("parse(%q) = %v, want errBadFlag", args, err)
		}
	}
	o, err := parse([]string{"-pin", "-reps", "5"})
	if err != nil || !o.pin || o.reps != 5 {
		t.Fatalf("parse(-pin -reps 5) = %+v, %v", o, err)
	}
}
