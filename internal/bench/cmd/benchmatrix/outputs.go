package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/usocket-go/usocket/internal/bench"
)

// outputs is where a run's page and chart go, checked before the run.
type outputs struct {
	page, chart string // absolute paths
	link        string // the chart as the page links to it
}

// errCommitted refuses to replace a file committed to git without -overwrite.
var errCommitted = errors.New("is committed to git; pass -overwrite to replace it")

// planOutputs resolves -out and -chart and checks, before any server runs,
// that both can be written and that neither replaces a committed file
// unless -overwrite says so.
func planOutputs(ctx context.Context, o options) (*outputs, error) {
	page, err := filepath.Abs(o.out)
	if err != nil {
		return nil, fmt.Errorf("-out: %w", err)
	}
	root, _ := bench.ModuleRoot(ctx) // "" outside the module: no committed page
	chart := o.chart
	switch {
	case chart != "":
	case root != "" && page == filepath.Join(root, committedPage):
		chart = filepath.Join(root, committedChart)
	default:
		chart = strings.TrimSuffix(page, filepath.Ext(page)) + ".svg"
	}
	if chart, err = filepath.Abs(chart); err != nil {
		return nil, fmt.Errorf("-chart: %w", err)
	}
	if chart == page {
		return nil, fmt.Errorf("-out and -chart are the same file %s", page)
	}
	for _, p := range []string{page, chart} {
		if err := checkWritable(p); err != nil {
			return nil, err
		}
		if !o.overwrite && committed(ctx, p) {
			return nil, fmt.Errorf("%s %w", p, errCommitted)
		}
	}
	link, err := filepath.Rel(filepath.Dir(page), chart)
	if err != nil { // both are absolute: only different volumes get here
		link = chart
	}
	return &outputs{page: page, chart: chart, link: filepath.ToSlash(link)}, nil
}

// checkWritable reports whether a file can be created at path: its
// directory exists and takes a new file.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".benchmatrix-check-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// committed reports whether path is tracked by the git repository it is in.
func committed(ctx context.Context, path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	cmd := exec.CommandContext(ctx, "git", "ls-files", "--error-unmatch", filepath.Base(path))
	cmd.Dir = filepath.Dir(path)
	return cmd.Run() == nil
}
