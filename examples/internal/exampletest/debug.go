package exampletest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/usocket-go/usocket/reactor"
)

// DebugBase returns the /debug/vars URL a program started with
// -debug-addr printed, failing the test if it printed none.
func DebugBase(t testing.TB, p *Program) string {
	t.Helper()
	for _, line := range strings.Split(p.Stdout(), "\n") {
		if rest, ok := strings.CutPrefix(line, "debug endpoints at "); ok {
			return strings.Fields(rest)[0]
		}
	}
	t.Fatalf("no debug line in %q", p.Stdout())
	return ""
}

// FetchStats reads the reactor's Stats from a program's /debug/vars.
func FetchStats(t testing.TB, p *Program) reactor.Stats {
	t.Helper()
	resp, err := http.Get(DebugBase(t, p))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var vars struct{ Reactor reactor.Stats }
	if err := json.NewDecoder(resp.Body).Decode(&vars); err != nil {
		t.Fatal(err)
	}
	return vars.Reactor
}
