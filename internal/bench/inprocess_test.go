package bench

import (
	"errors"
	"testing"
	"time"
)

func TestLoopbackLimit(t *testing.T) {
	res, err := LoopbackLimit(testCtx(t), Load{Size: 64 << 10, Duration: shortRun})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unit != UnitMBps || res.Count == 0 || res.Value <= 0 {
		t.Fatalf("loopback result %+v", res)
	}
}

func TestWaitlistScaling(t *testing.T) {
	for _, n := range []int{10, 1000} {
		res, err := WaitlistScaling(testCtx(t), Load{Conns: n, Duration: 40 * time.Millisecond})
		if err != nil {
			t.Fatalf("N=%d: %v", n, err)
		}
		if res.Unit != UnitNsPerWait || res.Count < waitBatch || res.Value <= 0 || res.Reference <= 0 {
			t.Fatalf("N=%d: %+v", n, res)
		}
	}
	if _, err := WaitlistScaling(testCtx(t), Load{Duration: time.Millisecond}); !errors.Is(err, ErrBadLoad) {
		t.Fatalf("no sources: err = %v, want ErrBadLoad", err)
	}
}

func TestTimedLoopStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	n, _, err := timedLoop(testCtx(t), time.Hour, func(i int) error {
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 3 {
		t.Fatalf("timedLoop = %d, %v; want 3, boom", n, err)
	}
}
