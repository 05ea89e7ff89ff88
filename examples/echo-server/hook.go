package main

import (
	"errors"
	"log/slog"
	"syscall"
)

func defaultHook(err error) { slog.Error("echo-server", "err", err) }

// isPeerGone reports errors caused by the client going away.
func isPeerGone(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNREFUSED)
}
