package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoModule reports that the go command found no enclosing module.
var ErrNoModule = errors.New("bench: not inside a Go module")

// ModuleRoot returns the directory of the go.mod enclosing the working
// directory, as reported by `go env GOMOD`.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == "/dev/null" {
		return "", ErrNoModule
	}
	return filepath.Dir(gomod), nil
}

// BuildError is a failed `go build` of a server package.
type BuildError struct {
	Package string
	Output  string // combined go build output, trimmed
	Err     error
}

// Error reports the package, the go command failure and the first output line.
func (e *BuildError) Error() string {
	first, _, _ := strings.Cut(e.Output, "\n")
	if first == "" {
		return fmt.Sprintf("go build %s: %v", e.Package, e.Err)
	}
	return fmt.Sprintf("go build %s: %v: %s", e.Package, e.Err, first)
}

// Unwrap returns the go command error, usually an *exec.ExitError.
func (e *BuildError) Unwrap() error { return e.Err }

// BuildServers builds every distinct package (and build tags) used by
// servers into dir, once each, from moduleRoot; a server with a Binary uses it as is. It returns the binary path per server name and the
// build error per server name for those that could not be built.
func BuildServers(ctx context.Context, moduleRoot, dir string, servers []Server) (map[string]string, map[string]error) {
	bins := make(map[string]string)
	fails := make(map[string]error)
	byPkg := make(map[string]string)
	pkgErr := make(map[string]error)
	for _, s := range servers {
		if s.Binary != "" {
			bins[s.Name] = s.Binary
			continue
		}
		key := s.Build + " -tags " + s.Tags // one binary per package and tags
		bin, built := byPkg[key]
		err := pkgErr[key]
		if !built && err == nil {
			bin = filepath.Join(dir, fmt.Sprintf("%d-%s", len(byPkg)+len(pkgErr), filepath.Base(s.Build)))
			err = goBuild(ctx, moduleRoot, s.Build, s.Tags, bin)
			if err != nil {
				pkgErr[key] = err
			} else {
				byPkg[key] = bin
			}
		}
		if err != nil {
			fails[s.Name] = err
			continue
		}
		bins[s.Name] = bin
	}
	return bins, fails
}

func goBuild(ctx context.Context, moduleRoot, pkg, tags, bin string) error {
	args := []string{"build", "-o", bin}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = moduleRoot
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &BuildError{Package: pkg, Output: strings.TrimSpace(out.String()), Err: err}
	}
	return nil
}
