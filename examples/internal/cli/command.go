package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Command is an example's command line: a flag set that reports to the
// program's stderr, and the one-line usage printed with every usage error.
type Command struct {
	*flag.FlagSet
	// Usage is the usage line, e.g. "usage: ucat [-u] [-l] host port".
	Usage  string
	stderr io.Writer
}

// NewCommand returns the command line of program name. On -h, or a flag
// the flag package rejects, it prints usage and the flags' defaults to
// stderr.
func NewCommand(name, usage string, stderr io.Writer) *Command {
	c := &Command{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), Usage: usage, stderr: stderr}
	c.SetOutput(stderr)
	c.FlagSet.Usage = func() {
		fmt.Fprintln(c.Output(), c.Usage)
		c.PrintDefaults()
	}
	return c
}

// errReported marks an error the flag package has already printed, with
// the usage, so that Exit does not print it again.
type errReported struct{ err error }

func (e errReported) Error() string { return e.err.Error() }
func (e errReported) Unwrap() error { return e.err }

// Parse parses args, then checks that exactly nargs positional arguments
// remain (nargs < 0: any number). Its error is flag.ErrHelp for -h, and a
// usage error (matching ErrUsage) otherwise.
func (c *Command) Parse(args []string, nargs int) error {
	if err := c.FlagSet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errReported{fmt.Errorf("%w: %w", ErrUsage, err)}
	}
	switch {
	case nargs < 0 || c.NArg() == nargs:
		return nil
	case nargs == 0:
		return Usagef("unexpected arguments %q", c.Args())
	}
	return Usagef("want %d arguments, got %q", nargs, c.Args())
}

// Exit turns the error of parsing and checking the command line into an
// exit decision: exit is false when err is nil; for -h the status is
// ExitOK; any other error is a usage error: it is printed on stderr as
// "name: err" followed by the usage line, and the status is ExitUsage.
func (c *Command) Exit(err error) (code int, exit bool) {
	var rep errReported
	switch {
	case err == nil:
		return ExitOK, false
	case errors.Is(err, flag.ErrHelp):
		return ExitOK, true
	case errors.As(err, &rep):
		return ExitUsage, true
	}
	fmt.Fprintf(c.stderr, "%s: %v\n%s\n", c.Name(), err, c.Usage)
	return ExitUsage, true
}
