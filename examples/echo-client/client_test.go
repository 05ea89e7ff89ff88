package main

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/handler"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 90: 90, 99: 99, 100: 100, 0.1: 1} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

func TestAgainstEchoServers(t *testing.T) {
	ctx := context.Background()
	ts, err := handler.Serve(ctx, "tcp", "127.0.0.1:0", handler.Echo{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	us, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: handler.EchoDatagram, Mode: handler.PerConnection}).Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = us.Close(); <-us.Done() }()

	for _, tc := range []struct{ proto, addr string }{
		{"tcp", ts.Addr().String()},
		{"udp", us.Addr().String()},
	} {
		code, out, stderr := exampletest.Run(t, run, "-proto", tc.proto, "-addr", tc.addr, "-c", "4", "-n", "200", "-size", "100")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.proto, code, stderr)
		}
		for _, want := range []string{"800 of 800 echoes verified", "msg/s", "p50", "p90", "p99"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.proto, want, out)
			}
		}
	}
}

// TestDetectsBadEcho: a server that answers with the wrong bytes fails the
// run.
func TestDetectsBadEcho(t *testing.T) {
	bad := func(_ context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
		reply := append([]byte(nil), req...)
		reply[len(reply)-1] ^= 0xff
		return reply, nil
	}
	us, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: bad}).Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = us.Close(); <-us.Done() }()
	code, _, stderr := exampletest.Run(t, run, "-proto", "udp", "-addr", us.Addr().String(), "-n", "3", "-size", "8", "-timeout", "1s")
	if code != 1 || !strings.Contains(stderr, "echo differs") {
		t.Fatalf("exit %d, stderr %q; want a failure", code, stderr)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-proto", "x"}, {"-n", "0"}, {"-size", "0"}, {"-proto", "udp", "-size", "70000"},
		{"-addr", "nope"}, {"-timeout", "0"}, {"extra"}, {"-addr", "127.0.0.1:99999"}, {"-c", "0"},
		{"-nope"},
	} {
		if code, _, stderr := exampletest.Run(t, run, args...); code != 2 || !strings.Contains(stderr, usage) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the usage line", args, code, stderr)
		}
	}
	if code, _, stderr := exampletest.Run(t, run, "-h"); code != 0 || !strings.Contains(stderr, "-size") {
		t.Errorf("-h: exit %d, %q", code, stderr)
	}
}
