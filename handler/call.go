package handler

import (
	"log/slog"
	"net/netip"
	"runtime/debug"
)

// defaultHook logs with slog.Default.
func defaultHook(err error) { slog.Error("handler", "err", err) }

func hookOrDefault(h func(error)) func(error) {
	if h == nil {
		return defaultHook
	}
	return h
}

// guard runs f, turning a panic into a *PanicError; it returns f's error.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return f()
}

// handlerErr wraps err for the hook, or returns nil.
func handlerErr(peer netip.AddrPort, err error) error {
	if err == nil {
		return nil
	}
	return &HandlerError{Peer: peer, Err: err}
}
