package cli

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCommandExit(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		nargs    int
		code     int
		exit     bool
		reported []string // what stderr must contain
	}{
		{"ok", []string{"-n", "3", "a"}, 1, ExitOK, false, nil},
		{"help", []string{"-h"}, 0, ExitOK, true, []string{"usage: prog", "-n"}},
		{"bad flag", []string{"-x"}, 0, ExitUsage, true, []string{"not defined: -x", "usage: prog"}},
		{"extra args", []string{"a"}, 0, ExitUsage, true, []string{"prog: unexpected arguments", "usage: prog"}},
		{"missing args", nil, 2, ExitUsage, true, []string{"prog: want 2 arguments", "usage: prog"}},
		{"bad value", []string{"-n", "70000"}, 0, ExitUsage, true, []string{"prog: -n 70000", "usage: prog"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			cmd := NewCommand("prog", "usage: prog [-n N] args", &stderr)
			n := cmd.Int("n", 0, "a number")
			err := cmd.Parse(tt.args, tt.nargs)
			if err == nil {
				err = IntRange("-n", *n, 0, MaxPort)
			}
			code, exit := cmd.Exit(err)
			if code != tt.code || exit != tt.exit {
				t.Fatalf("Exit(%v) = %d, %v; want %d, %v", err, code, exit, tt.code, tt.exit)
			}
			if code == ExitUsage && !errors.Is(err, ErrUsage) {
				t.Errorf("%v does not match ErrUsage", err)
			}
			for _, want := range tt.reported {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q lacks %q", stderr.String(), want)
				}
			}
			if tt.reported == nil && stderr.Len() > 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
		})
	}
}

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
	}{
		{"port 0", func() error { _, err := Port("port", "0"); return err }(), true},
		{"port 65535", func() error { _, err := Port("port", "65535"); return err }(), true},
		{"port 99999", func() error { _, err := Port("port", "99999"); return err }(), false},
		{"port -1", func() error { _, err := Port("port", "-1"); return err }(), false},
		{"port name", func() error { _, err := Port("port", "http"); return err }(), false},
		{"addr ok", func() error { _, _, err := HostPort("-addr", "127.0.0.1:0"); return err }(), true},
		{"addr no port", func() error { _, _, err := HostPort("-addr", "127.0.0.1"); return err }(), false},
		{"addr big port", func() error { _, _, err := HostPort("-addr", ":99999"); return err }(), false},
		{"range", IntRange("-loops", 2000, 0, 1024), false},
		{"positive 0", Positive("-w", 0), false},
		{"nonneg 0", NonNegative("-t", 0), true},
		{"nonneg -1", NonNegative("-t", -time.Second), false},
		{"oneof", OneOf("-mode", "x", "a", "b"), false},
		{"oneof ok", OneOf("-mode", "b", "a", "b"), true},
	} {
		if (tc.err == nil) != tc.ok || (tc.err != nil && !errors.Is(tc.err, ErrUsage)) {
			t.Errorf("%s: %v", tc.name, tc.err)
		}
	}
	if err := First(nil, Usagef("a"), Usagef("b")); err == nil || err.Error() != "a" {
		t.Errorf("First = %v", err)
	}
	if err := First(nil, nil); err != nil {
		t.Errorf("First(nil, nil) = %v", err)
	}
}
