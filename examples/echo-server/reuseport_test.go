package main

import (
	"strings"
	"testing"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

// TestReusePortSharesThePort: with -reuseport a second echo-server binds
// the first one's port and both serve; without it, the second one fails.
func TestReusePortSharesThePort(t *testing.T) {
	cases := []struct{ mode, proto string }{
		{"reactor", "tcp"}, {"single", "tcp"}, {"multi", "tcp"}, {"single", "udp"}, {"multi", "udp"},
	}
	for _, tc := range cases {
		t.Run(tc.mode+"-"+tc.proto, func(t *testing.T) {
			args := []string{"-mode", tc.mode, "-proto", tc.proto, "-loops", "1"}
			if tc.mode == "reactor" && !reactorReusePort {
				code, _, stderr := exampletest.Run(t, run, append(args, "-addr", "127.0.0.1:0", "-reuseport")...)
				if code != exitError || !strings.Contains(stderr, "not supported") {
					t.Fatalf("-reuseport on the net backend: exit %d, stderr %q; want exit %d and the unsupported error", code, stderr, exitError)
				}
				return
			}
			first := exampletest.Start(t, run, append(args, "-addr", "127.0.0.1:0", "-reuseport")...)
			if code, _, stderr := exampletest.Run(t, run, append(args, "-addr", first.Addr)...); code != exitError {
				t.Fatalf("second server without -reuseport: exit %d, want %d (address in use); stderr: %s", code, exitError, stderr)
			}
			second := exampletest.Start(t, run, append(args, "-addr", first.Addr, "-reuseport")...)
			if second.Addr != first.Addr {
				t.Fatalf("second server on %s, want %s", second.Addr, first.Addr)
			}
			check := echoTCP
			if tc.proto == "udp" {
				check = echoUDP
			}
			if err := check(first.Addr, "shared"); err != nil {
				t.Fatal(err)
			}
			for _, p := range []*exampletest.Program{second, first} {
				if code := p.Stop(t); code != exitOK {
					t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
				}
			}
		})
	}
}
