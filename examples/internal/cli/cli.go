package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses shared by the examples.
const (
	ExitOK    = 0 // success, or -h
	ExitError = 1 // a runtime error
	ExitUsage = 2 // bad flags or arguments
)

// RunFunc is the shape of an example's run function: the whole program,
// returning its exit status, stopping when ctx ends.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Main runs run with the command-line arguments, os.Stdout and os.Stderr,
// and a context that ends on SIGINT or SIGTERM, then exits the process with
// the status run returned.
func Main(run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
