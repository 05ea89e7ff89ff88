package bench

import (
	"encoding/xml"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// syntheticReport is a report with every kind of cell: complete rows, a
// failed server, an unsupported server, a row without ratios and the
// in-process rows.
func syntheticReport() *Report {
	servers := []Server{{Name: "fast"}, {Name: "flaky"}, {Name: "std"}}
	rt := func(v float64) []Result {
		return []Result{{Value: v, Unit: UnitRoundTrips, Count: int64(v), P50: time.Microsecond, P99: 9 * time.Microsecond,
			Server: ServerUsage{Sampled: true, CPU: time.Second / 2, Window: time.Second, RSSKiB: 4096}}}
	}
	unsupported := errors.New("not supported by this server: exit status 3\nstderr: more")
	cells := []Cell{
		{Scenario: Scenario{Kind: KindTCPPingPong, Conns: 1, Size: 64},
			Results: map[string][]Result{"fast": rt(300), "flaky": rt(50), "std": rt(100)}},
		{Scenario: Scenario{Kind: KindBulk, Conns: 1, Size: 64 << 10},
			Results: map[string][]Result{"fast": {{Value: 900, Unit: UnitMBps}}, "std": {{Value: 1000, Unit: UnitMBps}}},
			Errors:  map[string][]error{"flaky": {errors.New("reset\nsecond line")}}},
		{Scenario: Scenario{Kind: KindLoopback, Conns: 1, Size: 64 << 10},
			Results: map[string][]Result{InProcess: {{Value: 2000, Unit: UnitMBps}}}},
		{Scenario: Scenario{Kind: KindUDPPingPong, Conns: 1, Size: 64},
			Results:     map[string][]Result{"fast": rt(90), "std": rt(100)},
			Unsupported: map[string]error{"flaky": unsupported}},
		{Scenario: Scenario{Kind: KindSlowReader, Conns: 50, Size: 64 << 10},
			Results: map[string][]Result{"fast": {{Value: 1024, Unit: UnitMiBGrowth, Count: 3e9, Capped: true}},
				"flaky": {{Value: 2, Unit: UnitMiBGrowth, Count: 4e8}}, "std": {{Value: 0.5, Unit: UnitMiBGrowth, Count: 4e8}}}},
		{Scenario: Scenario{Kind: KindWaitlist, Conns: 10},
			Results: map[string][]Result{InProcess: {{Value: 80, Reference: 20, Unit: UnitNsPerWait}}}},
		{Scenario: Scenario{Kind: KindWaitlist, Conns: 1000},
			Results: map[string][]Result{InProcess: {{Value: 100, Reference: 2000, Unit: UnitNsPerWait}}}},
	}
	return &Report{Config: Config{Servers: servers, Reps: 1, Duration: time.Second, Loops: 2}, Cells: cells}
}

// wantBars is the number of cells of syntheticReport that have a ratio:
// tcp 3, bulk 2 (flaky failed), udp 2 (flaky unsupported).
const wantBars = 7

func TestWriteChartIsWellFormedWithOneBarPerCell(t *testing.T) {
	var b strings.Builder
	if err := syntheticReport().WriteChart(&b); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(strings.NewReader(b.String()))
	var bars, lines, depth int
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b.String())
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = el.Name.Local
			}
			depth++
			for _, a := range el.Attr {
				if a.Name.Local == "class" && a.Value == "bar" && el.Name.Local == "rect" {
					bars++
				}
				if a.Name.Local == "class" && a.Value == "one" && el.Name.Local == "line" {
					lines++
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if root != "svg" || depth != 0 {
		t.Fatalf("root %q, final depth %d", root, depth)
	}
	if bars != wantBars || lines != 1 {
		t.Fatalf("%d bars and %d 1.0× lines, want %d and 1\n%s", bars, lines, wantBars, b.String())
	}
	if !strings.Contains(b.String(), "3.00×") || !strings.Contains(b.String(), "0.90×") {
		t.Errorf("ratio labels missing:\n%s", b.String())
	}
}

func TestWriteChartEmptyReport(t *testing.T) {
	var b strings.Builder
	rep := &Report{Config: Config{Servers: []Server{{Name: "std"}}}}
	if err := rep.WriteChart(&b); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(b.String()), new(struct{})); err != nil {
		t.Fatalf("empty chart is not XML: %v", err)
	}
}

func TestWritePage(t *testing.T) {
	var b strings.Builder
	p := Page{Command: "go run ./internal/bench/cmd/benchmatrix -out BENCHMARKS.md", Date: time.Unix(0, 0),
		Machine: DescribeMachine(), Chart: "benchmarks.svg"}
	if err := syntheticReport().WritePage(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# Benchmarks",
		"- Go: " + runtime.Version(),
		"- Date: 1970-01-01 00:00 UTC",
		p.Command,
		"![ratios](benchmarks.svg)",
		"| scenario | unit | fast | flaky | std |",
		"| tcp-pingpong c1 64B | rt/s | 300 (3.00×); 1666.7µs/rt | 50 (0.50×); 10000.0µs/rt | 100 (1.00×); 5000.0µs/rt |",
		"| bulk c1 64KiB | MB/s | 900.0 (0.90×) | error | 1000.0 (1.00×) |",
		"| loopback c1 64KiB (reference: one stream, no server) | 2000.0 MB/s | — | — | — |",
		"| udp-pingpong c1 64B | rt/s | 90 (0.90×); 5555.6µs/rt | n/a | 100 (1.00×); 5000.0µs/rt |",
		"| slow-reader c50 64KiB | MiB growth | ≥1024.0, pushed 3.00 GB | 2.0, pushed 400.0 MB | 0.5, pushed 400.0 MB |",
		"bulk c1 64KiB reaches, of the loopback reference: `fast` 45%, `std` 50%.",
		"| tcp-pingpong c1 64B | 50%; 1666.7µs/rt · 4.0 MiB | 50%; 10000.0µs/rt · 4.0 MiB | 50%; 5000.0µs/rt · 4.0 MiB |",
		"| 1000 | 100 | 1.25× | 2000 | 100.00× |",
		"`flaky` does not support udp (n/a in every udp row): not supported by this server: exit status 3 …",
		"`flaky` bulk c1 64KiB: 1 failed repetition(s), first: reset …",
		"the server grew past the memory cap",
		"## What each number means",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q:\n%s", want, out)
		}
	}
}

func TestDescribeMachine(t *testing.T) {
	m := DescribeMachine()
	if m.Cores != runtime.NumCPU() || m.Go != runtime.Version() || m.CPU == "" || !strings.HasPrefix(m.Kernel, "Linux ") {
		t.Fatalf("DescribeMachine = %+v", m)
	}
}

func TestRotationPutsEveryServerEverywhere(t *testing.T) {
	servers := []Server{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	seen := map[string]map[int]bool{}
	for r := range len(servers) {
		order := rotation(servers, r)
		if len(order) != len(servers) {
			t.Fatalf("rotation %d has %d servers", r, len(order))
		}
		for pos, s := range order {
			if seen[s.Name] == nil {
				seen[s.Name] = map[int]bool{}
			}
			seen[s.Name][pos] = true
		}
	}
	for _, s := range servers {
		if len(seen[s.Name]) != len(servers) {
			t.Errorf("server %s took positions %v over %d repetitions", s.Name, seen[s.Name], len(servers))
		}
	}
	if got := rotation(servers, 1); got[0].Name != "b" || got[2].Name != "a" {
		t.Errorf("rotation 1 = %v, want b,c,a", got)
	}
}
