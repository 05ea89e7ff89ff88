package bench

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseListeningLine(t *testing.T) {
	cases := []struct {
		line, addr string
		ok, bad    bool
	}{
		{line: "listening on 127.0.0.1:4242", addr: "127.0.0.1:4242", ok: true},
		{line: "2026/01/02 echo-server (reactor) listening on [::1]:80", addr: "[::1]:80", ok: true},
		{line: "  listening on   127.0.0.1:9\t", addr: "127.0.0.1:9", ok: true},
		{line: "starting up", ok: false},
		{line: "", ok: false},
		{line: "listening on", ok: true, bad: true},
		{line: "listening on 127.0.0.1", ok: true, bad: true},
		{line: "listening on 127.0.0.1:0", ok: true, bad: true},
		{line: "listening on 127.0.0.1:http", ok: true, bad: true},
	}
	for _, c := range cases {
		addr, ok, err := ParseListeningLine(c.line)
		if ok != c.ok || addr != c.addr || (err != nil) != c.bad {
			t.Errorf("ParseListeningLine(%q) = %q, %v, %v; want %q, %v, bad=%v", c.line, addr, ok, err, c.addr, c.ok, c.bad)
		}
		if c.bad && !errors.Is(err, ErrBadListenLine) {
			t.Errorf("ParseListeningLine(%q) err = %v, want ErrBadListenLine", c.line, err)
		}
	}
}

func TestLineWatcherFindsSplitLine(t *testing.T) {
	w := newLineWatcher()
	for _, chunk := range []string{"noise\nlisten", "ing on 127.0.0.1:", "8080\nlistening on 127.0.0.1:9\n", "more"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	select {
	case got := <-w.found:
		if got.err != nil || got.addr != "127.0.0.1:8080" {
			t.Fatalf("found %+v, want 127.0.0.1:8080", got)
		}
	case <-time.After(testBound):
		t.Fatal("no listening line delivered")
	}
	select {
	case got := <-w.found:
		t.Fatalf("second delivery %+v", got)
	default:
	}
}

func TestParseServerFlags(t *testing.T) {
	var sink strings.Builder
	sf, err := ParseServerFlags("x", []string{"-proto", "udp"}, &sink)
	if err != nil || sf.Proto != "udp" || sf.Loops != runtime.NumCPU() || sf.Addr != "127.0.0.1:0" {
		t.Fatalf("defaults: %+v, %v", sf, err)
	}
	for _, args := range [][]string{{"-proto", "sctp"}, {"-loops", "-1"}, {"-addr", "nope"}} {
		if _, err := ParseServerFlags("x", args, &sink); !errors.Is(err, ErrBadFlag) {
			t.Errorf("%v: err = %v, want ErrBadFlag", args, err)
		}
	}
	if _, err := ParseServerFlags("x", []string{"-bogus"}, &sink); err == nil {
		t.Error("unknown flag accepted")
	}
}

func TestLookupServersAndScenarios(t *testing.T) {
	ss, err := LookupServers("gnet, std")
	if err != nil || len(ss) != 2 || ss[0].Name != "gnet" || ss[1].Build != pkgStdEcho {
		t.Fatalf("LookupServers = %+v, %v", ss, err)
	}
	if _, err := LookupServers("gnet,nginx"); !errors.Is(err, ErrUnknownServer) {
		t.Errorf("unknown server err = %v", err)
	}
	all := DefaultScenarios(10000)
	if len(all) != 19 {
		t.Errorf("default matrix has %d cells, want 19", len(all))
	}
	inProc, err := FilterScenarios(all, "waitlist,loopback")
	if err != nil || len(inProc) != 5 || inProc[0].Name() != "loopback c1 64KiB" || inProc[4].Name() != "waitlist N=10000" {
		t.Errorf("in-process scenarios = %+v, %v", inProc, err)
	}
	for _, s := range inProc {
		if !s.InProcess() {
			t.Errorf("%s is not in-process", s.Name())
		}
	}
	bulk, err := FilterScenarios(all, "bulk,idle")
	if err != nil || len(bulk) != 3 || bulk[2].Name() != "idle c10000 16B" || bulk[0].Name() != "bulk c1 64KiB" {
		t.Errorf("FilterScenarios = %+v, %v", bulk, err)
	}
	if _, err := FilterScenarios(all, "tcp-pingpong,http"); !errors.Is(err, ErrUnknownScenario) {
		t.Errorf("unknown scenario err = %v", err)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h, other histogram
	if h.quantile(0.5) != 0 {
		t.Fatal("empty histogram has a median")
	}
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Microsecond
		if i%2 == 0 {
			h.record(d)
		} else {
			other.record(d)
		}
	}
	h.merge(&other)
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}} {
		got := h.quantile(c.q)
		if diff := float64(got-c.want) / float64(c.want); diff > 0.07 || diff < -0.07 {
			t.Errorf("quantile(%v) = %v, want %v ± 7%%", c.q, got, c.want)
		}
	}
	prev := -1
	for ns := uint64(0); ns < 1<<20; ns += 7 {
		b := bucketOf(ns)
		if b < prev || bucketMid(b) > ns*2+1 || bucketMid(b)*2+1 < ns {
			t.Fatalf("bucketOf(%d) = %d (mid %d), previous %d", ns, b, bucketMid(b), prev)
		}
		prev = b
	}
}

func TestSummarize(t *testing.T) {
	if _, ok := Summarize(nil); ok {
		t.Fatal("summary of nothing")
	}
	rs := []Result{
		{Value: 30, Unit: UnitRoundTrips, P50: 3, P99: 30, Losses: 1},
		{Value: 10, Unit: UnitRoundTrips, P50: 1, P99: 10, Mismatches: 2},
		{Value: 20, Unit: UnitRoundTrips, P50: 2, P99: 20},
	}
	s, ok := Summarize(rs)
	if !ok || s.Value != 20 || s.P50 != 2 || s.P99 != 20 || s.Losses != 1 || s.Mismatches != 2 || s.Reps != 3 {
		t.Fatalf("Summarize = %+v", s)
	}
	if s.Min != 10 || s.Max != 30 || !s.Noisy() {
		t.Errorf("range %v–%v noisy=%v, want 10–30 noisy", s.Min, s.Max, s.Noisy())
	}
	if calm, _ := Summarize(rs[2:]); calm.Noisy() {
		t.Errorf("a single repetition is flagged noisy: %+v", calm)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Fatalf("median of four = %v", m)
	}
}

// TestNoisyThresholdAndCPUPerOp pins the † rule, (max-min)/median > 25%,
// for the headline value and for the server CPU per operation, and the
// CPU per MB of bulk runs.
func TestNoisyThresholdAndCPUPerOp(t *testing.T) {
	usage := func(ms int) ServerUsage {
		return ServerUsage{Sampled: true, CPU: time.Duration(ms) * time.Millisecond, Window: time.Second}
	}
	bulk := []Result{
		{Value: 100, Unit: UnitMBps, Count: 100e6, Server: usage(50)},  // 500 µs/MB
		{Value: 110, Unit: UnitMBps, Count: 100e6, Server: usage(60)},  // 600
		{Value: 124, Unit: UnitMBps, Count: 100e6, Server: usage(100)}, // 1000
	}
	s, _ := Summarize(bulk)
	if s.Noisy() { // 24/110 < 25%
		t.Errorf("values 100–124 around 110 flagged noisy")
	}
	if s.CPUPerOp != 600 || s.CPUOpUnit != "µs/MB" || !s.CPUOpNoisy { // 500/600 > 25%
		t.Errorf("CPU per op = %v %s noisy=%v, want 600 µs/MB noisy", s.CPUPerOp, s.CPUOpUnit, s.CPUOpNoisy)
	}
	if got := cpuPerOp(s); got != "; 600.0µs/MB †" {
		t.Errorf("cpuPerOp = %q", got)
	}
	bulk[2].Value = 138 // 38/110 > 25%
	if s, _ := Summarize(bulk); !s.Noisy() {
		t.Errorf("values 100–138 around 110 not flagged noisy")
	}
	idle := []Result{{Value: 1, Unit: UnitKiBPerConn, Count: 10, Server: usage(10)}}
	if s, _ := Summarize(idle); s.CPUPerOp != 0 || cpuPerOp(s) != "" {
		t.Errorf("KiB/conn got a CPU per op: %+v", s)
	}
}
