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
	KindSlowReader  Kind = "slow-reader"
	KindLoopback    Kind = "loopback" // in-process reference: one TCP stream, no server
	KindWaitlist    Kind = "waitlist" // in-process: waitlist.List.Wait scaling
)

var allKinds = []Kind{KindTCPPingPong, KindBulk, KindLoopback, KindUDPPingPong, KindIdle, KindSlowReader, KindWaitlist}

// Scenario is one row of the matrix.
type Scenario struct {
	Kind  Kind
	Conns int // connections, sockets, or (waitlist) sources
	Size  int // message (ping-pong, idle probe) or write (bulk, slow-reader) size in bytes
}

// Sizes used by the default matrix.
const (
	idleProbeSize   = 16 // the one echo done on each idle connection
	bulkWriteSize   = 64 << 10
	slowReaderConns = 50
)

// WaitlistSizes are the source counts of the waitlist scaling rows.
var WaitlistSizes = []int{10, 100, 1000, 10000}

// DefaultScenarios returns the standard matrix: TCP ping-pong c1/c100/c1000
// × 64 B/4 KiB, bulk 64 KiB c1/c50, the in-process loopback reference, UDP
// ping-pong c1/c50 × 64 B/1400 B, idle memory at idleConns connections, the
// slow-reader memory test at 50 connections and the in-process waitlist
// scaling rows.
func DefaultScenarios(idleConns int) []Scenario {
	var out []Scenario
	for _, c := range []int{1, 100, 1000} {
		for _, s := range []int{64, 4 << 10} {
			out = append(out, Scenario{Kind: KindTCPPingPong, Conns: c, Size: s})
		}
	}
	for _, c := range []int{1, 50} {
		out = append(out, Scenario{Kind: KindBulk, Conns: c, Size: bulkWriteSize})
	}
	out = append(out, Scenario{Kind: KindLoopback, Conns: 1, Size: bulkWriteSize})
	for _, c := range []int{1, 50} {
		for _, s := range []int{64, 1400} {
			out = append(out, Scenario{Kind: KindUDPPingPong, Conns: c, Size: s})
		}
	}
	out = append(out,
		Scenario{Kind: KindIdle, Conns: idleConns, Size: idleProbeSize},
		Scenario{Kind: KindSlowReader, Conns: slowReaderConns, Size: bulkWriteSize})
	for _, n := range WaitlistSizes {
		out = append(out, Scenario{Kind: KindWaitlist, Conns: n})
	}
	return out
}

// InProcess reports whether the scenario runs inside the harness, once per
// repetition, instead of against each server.
func (s Scenario) InProcess() bool {
	return s.Kind == KindLoopback || s.Kind == KindWaitlist
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

// Name is the row label, e.g. "tcp-pingpong c100 4KiB" or "waitlist N=1000".
func (s Scenario) Name() string {
	if s.Kind == KindWaitlist {
		return fmt.Sprintf("%s N=%d", s.Kind, s.Conns)
	}
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
	case KindSlowReader:
		return SlowReader(ctx, l)
	case KindLoopback:
		return LoopbackLimit(ctx, l)
	case KindWaitlist:
		return WaitlistScaling(ctx, l)
	}
	return Result{}, fmt.Errorf("%w: %q", ErrUnknownScenario, s.Kind)
}

func sizeLabel(n int) string {
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}
