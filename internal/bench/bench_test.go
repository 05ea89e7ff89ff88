package bench

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

const shortRun = 200 * time.Millisecond

// flipLast corrupts one byte of every echoed chunk.
func flipLast(b []byte) { b[len(b)-1] ^= 0xff }

func checkPingPong(t *testing.T, res Result) {
	t.Helper()
	if res.Count == 0 || res.Value <= 0 || res.Unit != UnitRoundTrips {
		t.Errorf("no round trips measured: %+v", res)
	}
	if res.P50 <= 0 || res.P99 < res.P50 {
		t.Errorf("bad percentiles p50=%v p99=%v", res.P50, res.P99)
	}
	if res.Mismatches != 0 {
		t.Errorf("%d mismatches against a correct echo server", res.Mismatches)
	}
}

func TestTCPPingPong(t *testing.T) {
	addr := startTCPEcho(t, nil)
	res, err := TCPPingPong(testCtx(t), Load{Addr: addr, Conns: 3, Size: 100, Warmup: 20 * time.Millisecond, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	checkPingPong(t, res)
}

func TestTCPPingPongCountsMismatches(t *testing.T) {
	addr := startTCPEcho(t, flipLast)
	res, err := TCPPingPong(testCtx(t), Load{Addr: addr, Conns: 2, Size: 64, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mismatches == 0 {
		t.Fatalf("corrupting server went unnoticed: %+v", res)
	}
}

func TestBulk(t *testing.T) {
	addr := startTCPEcho(t, nil)
	res, err := Bulk(testCtx(t), Load{Addr: addr, Conns: 2, Size: 64 << 10, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count == 0 || res.Value <= 0 || res.Unit != UnitMBps || res.Mismatches != 0 {
		t.Fatalf("bulk result %+v", res)
	}
}

func TestBulkCountsMismatches(t *testing.T) {
	addr := startTCPEcho(t, flipLast)
	res, err := Bulk(testCtx(t), Load{Addr: addr, Conns: 1, Size: 64 << 10, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mismatches == 0 {
		t.Fatalf("corrupting server went unnoticed: %+v", res)
	}
}

func TestUDPPingPong(t *testing.T) {
	addr := startUDPEcho(t, nil)
	res, err := UDPPingPong(testCtx(t), Load{Addr: addr, Conns: 2, Size: 64, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	checkPingPong(t, res)
}

func TestUDPPingPongCountsLosses(t *testing.T) {
	addr := startUDPEcho(t, func(i int) bool { return i%5 == 4 })
	res, err := UDPPingPong(testCtx(t), Load{Addr: addr, Conns: 1, Size: 64, Duration: 300 * time.Millisecond,
		LossTimeout: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Losses == 0 || res.Count == 0 || res.Mismatches != 0 {
		t.Fatalf("dropping server: %+v, want losses and round trips", res)
	}
}

func TestIdleMemory(t *testing.T) {
	var accepted atomic.Int64
	addr := startTCPEcho(t, func([]byte) { accepted.Add(1) })
	res, err := IdleMemory(testCtx(t), Load{Addr: addr, Conns: 50, Size: idleProbeSize, PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 50 || res.Unit != UnitKiBPerConn || res.Mismatches != 0 || accepted.Load() < 50 {
		t.Fatalf("idle result %+v, server saw %d probes", res, accepted.Load())
	}
}

func TestReadRSS(t *testing.T) {
	kib, err := ReadRSS(os.Getpid())
	if err != nil || kib <= 0 {
		t.Fatalf("ReadRSS(self) = %d, %v", kib, err)
	}
	if _, err := ReadRSS(-1); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadRSS(-1) err = %v, want os.ErrNotExist", err)
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	ctx := testCtx(t)
	ok := Load{Addr: "127.0.0.1:1", Conns: 1, Size: 64, Duration: time.Second}
	cases := map[string]func() error{
		"no address": func() error { l := ok; l.Addr = ""; _, err := TCPPingPong(ctx, l); return err },
		"no conns":   func() error { l := ok; l.Conns = 0; _, err := Bulk(ctx, l); return err },
		"udp tiny":   func() error { l := ok; l.Size = 4; _, err := UDPPingPong(ctx, l); return err },
		"no window":  func() error { l := ok; l.Duration = 0; _, err := TCPPingPong(ctx, l); return err },
		"idle pid":   func() error { _, err := IdleMemory(ctx, ok); return err },
	}
	for name, run := range cases {
		if err := run(); !errors.Is(err, ErrBadLoad) {
			t.Errorf("%s: err = %v, want ErrBadLoad", name, err)
		}
	}
}

func TestTCPPingPongDialFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = TCPPingPong(testCtx(t), Load{Addr: addr, Conns: 4, Size: 64, Duration: shortRun})
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatalf("err = %v, want a *net.OpError from dialing a closed port", err)
	}
}
