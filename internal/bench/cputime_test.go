package bench

import (
	"errors"
	"os"
	"testing"
	"time"
)

func TestParseCPUTime(t *testing.T) {
	// Fields 14 and 15 are 250 and 50 ticks; the command name holds a space
	// and a parenthesis.
	stat := "4242 (my (odd) srv) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 12345 1000 200\n"
	got, err := parseCPUTime([]byte(stat))
	if err != nil || got != 3*time.Second {
		t.Fatalf("parseCPUTime = %v, %v; want 3s", got, err)
	}
	for _, bad := range []string{"", "4242 no parens S 1", "1 (x) S 1 2 3", "1 (x) S 1 2 3 4 5 6 7 8 9 10 x 5 0"} {
		if _, err := parseCPUTime([]byte(bad)); !errors.Is(err, ErrBadStat) {
			t.Errorf("parseCPUTime(%q) err = %v, want ErrBadStat", bad, err)
		}
	}
}

func TestReadCPUTime(t *testing.T) {
	if _, err := ReadCPUTime(os.Getpid()); err != nil {
		t.Fatalf("ReadCPUTime(self): %v", err)
	}
	if _, err := ReadCPUTime(-1); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadCPUTime(-1) err = %v, want os.ErrNotExist", err)
	}
}

func TestMonitorSamplesWindow(t *testing.T) {
	addr := startTCPEcho(t, nil)
	mon := newMonitor(os.Getpid())
	res, err := TCPPingPong(testCtx(t), Load{Addr: addr, Conns: 2, Size: 64, Duration: shortRun, OnWindow: mon.window})
	if err != nil {
		t.Fatal(err)
	}
	u := mon.finish()
	if !u.Sampled || u.Window < shortRun || u.RSSKiB <= 0 || u.CPU < 0 || u.CPUPercent() < 0 {
		t.Fatalf("usage %+v after %d round trips", u, res.Count)
	}
}

func TestMonitorFinishBeforeWindow(t *testing.T) {
	mon := newMonitor(os.Getpid())
	now := time.Now()
	mon.window(now.Add(time.Hour), now.Add(2*time.Hour))
	mon.window(now, now) // ignored: only the first window counts
	if u := mon.finish(); u.Sampled {
		t.Fatalf("a window that never started was sampled: %+v", u)
	}
	if u := newMonitor(os.Getpid()).finish(); u.Sampled {
		t.Fatalf("a monitor without a window was sampled: %+v", u)
	}
}
