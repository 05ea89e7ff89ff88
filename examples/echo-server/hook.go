package main

import (
	"errors"
	"log/slog"
	"os"
	"syscall"
)

func defaultHook(err error) { slog.Error("echo-server", "err", err) }

// isPeerGone reports errors caused by the client going away, or being
// dropped for a timeout (os.ErrDeadlineExceeded, which handler's
// ErrIdleTimeout matches too).
func isPeerGone(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrDeadlineExceeded)
}
