package bench

import (
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

func TestSlowReaderBoundedServer(t *testing.T) {
	addr := startTCPEcho(t, nil) // blocks in Write once the client stops reading
	res, err := SlowReader(testCtx(t), Load{Addr: addr, Conns: 4, Size: 64 << 10, Duration: shortRun, PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unit != UnitMiBGrowth || res.Count == 0 || res.Capped {
		t.Fatalf("slow-reader result %+v", res)
	}
}

func TestSlowReaderStopsAtCap(t *testing.T) {
	addr := startHoarder(t, 256<<20)
	const capMiB = 16
	res, err := SlowReader(testCtx(t), Load{Addr: addr, Conns: 2, Size: 64 << 10, Duration: testBound / 2,
		PID: os.Getpid(), MemCapMiB: capMiB})
	if err != nil {
		t.Fatal(err)
	}
	// The growth is the whole process's RSS (the client's buffers and the
	// GC count too), so the bytes pushed by the cap can be a little less
	// than the cap itself.
	if !res.Capped || res.Value < capMiB || res.Count < capMiB<<19 {
		t.Fatalf("hoarding server: %+v, want capped at ≥ %d MiB", res, capMiB)
	}
}

func TestSlowReaderRejectsBadLoad(t *testing.T) {
	_, err := SlowReader(testCtx(t), Load{Addr: "127.0.0.1:1", Conns: 1, Size: 1, Duration: time.Second})
	if !errors.Is(err, ErrBadLoad) {
		t.Fatalf("no pid: err = %v, want ErrBadLoad", err)
	}
}

// startHoarder serves TCP on 127.0.0.1:0 by reading everything and keeping
// up to limit bytes in memory (then discarding), like a server that buffers
// without bound.
func startHoarder(t *testing.T, limit int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		kept  [][]byte
		total int
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					buf := make([]byte, 64<<10)
					n, err := c.Read(buf)
					mu.Lock()
					if total < limit {
						kept = append(kept, buf[:n])
						total += n
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
		kept = nil
	})
	return ln.Addr().String()
}
