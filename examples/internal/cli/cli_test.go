package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestFlagExit(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		code     int
		exit     bool
		reported string
	}{
		{"no error", nil, ExitOK, false, ""},
		{"help", flag.ErrHelp, ExitOK, true, ""},
		{"wrapped help", fmt.Errorf("parse: %w", flag.ErrHelp), ExitOK, true, ""},
		{"bad flag", errors.New("flag provided but not defined: -x"), ExitUsage, true, "prog: flag provided but not defined: -x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			code, exit := FlagExit("prog", tt.err, &stderr)
			if code != tt.code || exit != tt.exit {
				t.Fatalf("FlagExit(%v) = %d, %v; want %d, %v", tt.err, code, exit, tt.code, tt.exit)
			}
			if got := stderr.String(); got != tt.reported {
				t.Fatalf("stderr = %q, want %q", got, tt.reported)
			}
		})
	}
}
