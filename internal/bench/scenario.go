package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Kind is a family of scenarios; its string is the -scenarios filter key.
type Kind string

// Scenario kinds.
const (
	KindTCPPingPong Kind = "tcp-pingpong"
	KindBulk        Kind = "bulk"
	KindUDPPingPong Kind = "udp-pingpong"
	KindIdle        Kind = "idle"
)

var allKinds = []Kind{KindTCPPingPong, KindBulk, KindUDPPingPong, KindIdle}

// Scenario is one row of the matrix.
type Scenario struct {
	Kind  Kind
	Conns int // connections or sockets
	Size  int // message (ping-pong, idle probe) or write (bulk) size in bytes
}

// idleProbeSize is the size of the one echo done on each idle connection.
const idleProbeSize = 16

// DefaultScenarios returns the standard matrix: TCP ping-pong c1/c100/c1000
// × 64 B/4 KiB, bulk 64 KiB c1/c50, UDP ping-pong c1/c50 × 64 B/1400 B and
// idle memory at idleConns connections.
func DefaultScenarios(idleConns int) []Scenario {
	var out []Scenario
	for _, c := range []int{1, 100, 1000} {
		for _, s := range []int{64, 4 << 10} {
			out = append(out, Scenario{Kind: KindTCPPingPong, Conns: c, Size: s})
		}
	}
	for _, c := range []int{1, 50} {
		out = append(out, Scenario{Kind: KindBulk, Conns: c, Size: 64 << 10})
	}
	for _, c := range []int{1, 50} {
		for _, s := range []int{64, 1400} {
			out = append(out, Scenario{Kind: KindUDPPingPong, Conns: c, Size: s})
		}
	}
	return append(out, Scenario{Kind: KindIdle, Conns: idleConns, Size: idleProbeSize})
}

// ErrUnknownScenario reports a -scenarios entry that names no kind.
var ErrUnknownScenario = errors.New("bench: unknown scenario kind")

// FilterScenarios keeps the scenarios whose kind is in the comma-separated
// list; an empty list keeps everything.
func FilterScenarios(all []Scenario, list string) ([]Scenario, error) {
	want := make(map[Kind]bool)
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if !slices.Contains(allKinds, Kind(k)) {
			return nil, fmt.Errorf("%w: %q (known: %s)", ErrUnknownScenario, k, kindNames())
		}
		want[Kind(k)] = true
	}
	if len(want) == 0 {
		return all, nil
	}
	var out []Scenario
	for _, s := range all {
		if want[s.Kind] {
			out = append(out, s)
		}
	}
	return out, nil
}

func kindNames() string {
	names := make([]string, len(allKinds))
	for i, k := range allKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ",")
}

// Name is the row label, e.g. "tcp-pingpong c100 4KiB".
func (s Scenario) Name() string {
	return fmt.Sprintf("%s c%d %s", s.Kind, s.Conns, sizeLabel(s.Size))
}

// Proto is the transport the server must be started with.
func (s Scenario) Proto() string {
	if s.Kind == KindUDPPingPong {
		return "udp"
	}
	return "tcp"
}

// Run drives the scenario's load against l.Addr; Conns and Size override l's.
func (s Scenario) Run(ctx context.Context, l Load) (Result, error) {
	l.Conns, l.Size = s.Conns, s.Size
	switch s.Kind {
	case KindTCPPingPong:
		return TCPPingPong(ctx, l)
	case KindBulk:
		return Bulk(ctx, l)
	case KindUDPPingPong:
		return UDPPingPong(ctx, l)
	case KindIdle:
		return IdleMemory(ctx, l)
	}
	return Result{}, fmt.Errorf("%w: %q", ErrUnknownScenario, s.Kind)
}

func sizeLabel(n int) string {
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}
