package bench

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Server describes one echo server of the matrix. Adding a server is one
// entry in KnownServers.
type Server struct {
	Name   string   // column name and -servers key
	Build  string   // Go package to build, relative to the module root
	Tags   string   // build tags for Build (go build -tags), if any
	Binary string   // a ready binary to run instead of building Build (tests)
	Args   []string // flags appended after the common -addr, -proto and -loops
	// Cannot maps the scenario kinds the server cannot run by design to
	// why; their cells show n/a without starting the server.
	Cannot map[Kind]string
}

// CannotError marks a scenario kind a server cannot run by design (see
// Server.Cannot). It matches ErrNotSupported.
type CannotError struct {
	Kind Kind
	Why  string
}

func (e *CannotError) Error() string { return fmt.Sprintf("cannot run %s: %s", e.Kind, e.Why) }

// Unwrap makes errors.Is(err, ErrNotSupported) hold.
func (e *CannotError) Unwrap() error { return ErrNotSupported }

// CannotRun reports why s cannot run kind by design, or "".
func (s Server) CannotRun(kind Kind) string { return s.Cannot[kind] }

// BaselineServer is the server every other column is compared with.
const BaselineServer = "std"

// Packages of the servers known to the matrix.
const (
	pkgEchoServer = "./examples/echo-server"
	pkgGnetEcho   = "./internal/bench/cmd/gnet-echo"
	pkgStdEcho    = "./internal/bench/cmd/std-echo"
)

// KnownServers lists every server the runner can select with -servers.
var KnownServers = []Server{
	{Name: "reactor", Build: pkgEchoServer, Args: []string{"-mode", "reactor"}},
	{Name: "reactor-park", Build: pkgEchoServer, Args: []string{"-mode", "reactor", "-idle", "park"}},
	// The portable backend (macOS and the BSDs run it over kqueue) on Linux.
	{Name: "reactor-portable", Build: pkgEchoServer, Tags: "usocket_portable", Args: []string{"-mode", "reactor"}},
	{Name: "single", Build: pkgEchoServer, Args: []string{"-mode", "single"},
		Cannot: map[Kind]string{KindIdle: "serves one client at a time, so idle connections wait unserved in the backlog"}},
	{Name: "multi", Build: pkgEchoServer, Args: []string{"-mode", "multi"}},
	// The same without lending the loops to blocked calls (every wake-up
	// handed off by the loop goroutine), to show what lending is worth.
	{Name: "multi-park", Build: pkgEchoServer, Args: []string{"-mode", "multi", "-idle", "park"}},
	{Name: "gnet", Build: pkgGnetEcho},
	{Name: "std", Build: pkgStdEcho},
}

// ErrUnknownServer reports a -servers name that is not in KnownServers.
var ErrUnknownServer = errors.New("bench: unknown server")

// LookupServers resolves a comma-separated list of server names, in order.
func LookupServers(list string) ([]Server, error) {
	var out []Server
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		s, ok := findServer(name)
		if !ok {
			return nil, fmt.Errorf("%w: %q (known: %s)", ErrUnknownServer, name, serverNames())
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: empty server list", ErrUnknownServer)
	}
	return out, nil
}

func findServer(name string) (Server, bool) {
	for _, s := range KnownServers {
		if s.Name == name {
			return s, true
		}
	}
	return Server{}, false
}

// ServerNames lists the names of KnownServers, comma-separated, for help texts.
func ServerNames() string { return serverNames() }

func serverNames() string {
	names := make([]string, len(KnownServers))
	for i, s := range KnownServers {
		names[i] = s.Name
	}
	return strings.Join(names, ",")
}

// commandArgs returns the full argument list for one server start.
func (s Server) commandArgs(proto string, loops int) []string {
	args := []string{"-addr", "127.0.0.1:0", "-proto", proto, "-loops", strconv.Itoa(loops)}
	return append(args, s.Args...)
}
