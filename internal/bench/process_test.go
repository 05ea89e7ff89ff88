package bench

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

const testBound = 20 * time.Second

func startHelper(t *testing.T, mode string, timeout time.Duration) (*Process, error) {
	t.Helper()
	t.Setenv(helperEnv, mode)
	return StartServer(testCtx(t), os.Args[0], []string{"-addr", "127.0.0.1:0", "-proto", "tcp"}, timeout)
}

func TestStartServerServesAndStops(t *testing.T) {
	p, err := startHelper(t, helperEcho, testBound)
	if err != nil {
		t.Fatal(err)
	}
	if p.PID() <= 0 || !strings.HasPrefix(p.Addr, "127.0.0.1:") {
		t.Errorf("pid %d addr %q", p.PID(), p.Addr)
	}
	res, err := TCPPingPong(testCtx(t), Load{Addr: p.Addr, Conns: 2, Size: 32, Duration: 100 * time.Millisecond})
	if err != nil || res.Count == 0 || res.Mismatches != 0 {
		t.Errorf("ping-pong against helper: %+v, %v", res, err)
	}
	if err := p.Stop(testBound); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := p.Stop(testBound); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestStartServerExitsEarly(t *testing.T) {
	_, err := startHelper(t, helperExit, testBound)
	if !errors.Is(err, ErrExitedEarly) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want ErrExitedEarly with the server's stderr", err)
	}
	if code := exitCode(err); code != 3 {
		t.Fatalf("exitCode = %d, want the helper's 3", code)
	}
}

func TestStartServerTimesOut(t *testing.T) {
	_, err := startHelper(t, helperSilent, 300*time.Millisecond)
	if !errors.Is(err, ErrStartTimeout) {
		t.Fatalf("err = %v, want ErrStartTimeout", err)
	}
}

func TestStopKillsStubbornServer(t *testing.T) {
	p, err := startHelper(t, helperStubborn, testBound)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(300 * time.Millisecond); !errors.Is(err, ErrKilled) {
		t.Fatalf("Stop = %v, want ErrKilled", err)
	}
}

func TestStartServerMissingBinary(t *testing.T) {
	_, err := StartServer(testCtx(t), "/nonexistent/echo", nil, time.Second)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want os.ErrNotExist", err)
	}
}
