package main

import (
	"testing"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

// -debug-addr serves the reactor's Stats (every mode has a reactor) and
// the profiles.
func TestDebugAddr(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-debug-addr", "127.0.0.1:0", "-loops", "2")
	if err := echoTCP(p.Addr, "counted"); err != nil {
		t.Fatal(err)
	}
	if s := exampletest.FetchStats(t, p); len(s.Loops) != 2 || s.Total.Accepted != 1 || s.Total.BytesRead < uint64(len("counted")) {
		t.Fatalf("stats = %+v", s)
	}
	if code := p.Stop(t); code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
	}
}
