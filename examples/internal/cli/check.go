package cli

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// ErrUsage is matched by every command-line mistake found by this
// package's checks; Command.Exit turns them into ExitUsage.
var ErrUsage = errors.New("usage")

// Usagef returns a usage error: the formatted text, matching ErrUsage.
func Usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// MaxPort is the largest TCP or UDP port.
const MaxPort = 65535

// Port parses a port number, 0 to 65535, named what in the error.
func Port(what, s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 0 || p > MaxPort {
		return 0, Usagef("%s %q: want a port number, 0 to %d", what, s, MaxPort)
	}
	return p, nil
}

// HostPort splits the value of flag name, host:port, checking the port.
func HostPort(name, addr string) (host string, port int, err error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, Usagef("%s %q: want host:port", name, addr)
	}
	port, err = Port(name+" port", ps)
	return host, port, err
}

// IntRange checks that flag name's value v is within lo..hi.
func IntRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return Usagef("%s %d: want %d to %d", name, v, lo, hi)
	}
	return nil
}

// Positive checks that flag name's duration is above zero.
func Positive(name string, d time.Duration) error {
	if d <= 0 {
		return Usagef("%s %v: want a positive duration", name, d)
	}
	return nil
}

// NonNegative checks that flag name's duration is not below zero (0 often
// means "none").
func NonNegative(name string, d time.Duration) error {
	if d < 0 {
		return Usagef("%s %v: want 0 or a positive duration", name, d)
	}
	return nil
}

// OneOf checks that flag name's value is one of the choices.
func OneOf(name, v string, choices ...string) error {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return Usagef("unknown %s %q (want one of %q)", name, v, choices)
}

// First returns the first non-nil error, so that a program's checks read
// as one list.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
