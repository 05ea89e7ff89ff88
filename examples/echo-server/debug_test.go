package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/reactor"
)

// -debug-addr serves the reactor's Stats (every mode has a reactor) and
// the profiles.
func TestDebugAddr(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-debug-addr", "127.0.0.1:0", "-loops", "2")
	if err := echoTCP(p.Addr, "counted"); err != nil {
		t.Fatal(err)
	}
	var vars string
	for _, line := range strings.Split(p.Stdout(), "\n") {
		if rest, ok := strings.CutPrefix(line, "debug endpoints at "); ok {
			vars = strings.Fields(rest)[0]
		}
	}
	if vars == "" {
		t.Fatalf("no debug line in %q", p.Stdout())
	}
	resp, err := http.Get(vars)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Reactor reactor.Stats }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if s := got.Reactor; len(s.Loops) != 2 || s.Total.Accepted != 1 || s.Total.BytesRead < uint64(len("counted")) {
		t.Fatalf("stats = %+v", s)
	}
	if code := p.Stop(t); code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
	}
}
