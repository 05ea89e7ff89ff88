//go:build unix

package reactor

import (
	"bytes"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"golang.org/x/sys/unix"
)

// smallSocketBuffers makes the kernel hold little of what a connection
// sends, so that output a peer does not read piles up in the reactor's
// queue instead (as it does on a busy host under memory pressure).
const smallSocketBuffers = 4 << 10

func setSockBuf(fd uintptr, opt int) {
	_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, smallSocketBuffers)
}

// crowdConn is the crowd test's per-connection record, touched only on the
// connection's loop.
type crowdConn struct {
	received int
	settled  bool
}

// TestMemoryLimitHoldsNeverReadingCrowd: 2,000 peers that send to an echo
// server and never read must not make the reactor queue more than its
// limit, plus a bounded slack: per loop, what it has not yet added to the
// total (budgetBatch) and the read in progress when the limit was passed;
// per connection, two capped reads (one while below budgetReadCap, then the
// pause). A normal client is served meanwhile.
func TestMemoryLimitHoldsNeverReadingCrowd(t *testing.T) {
	const (
		peers  = 2000
		perTx  = 64 << 10 // each peer sends this much
		limit  = 16 << 20
		loops  = 2
		rdBuf  = 64 << 10
		normal = 64 << 10 // the normal client's echo
	)
	ensureNoFile(t, 2*peers+256)
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}

	var settled atomic.Int64
	allSettled := make(chan struct{})
	settle := func(c *Conn) { // on c's loop
		cc, _ := c.Context().(*crowdConn)
		if cc == nil || cc.settled {
			return
		}
		cc.settled = true
		if settled.Add(1) == peers {
			close(allSettled)
		}
	}
	testHookBudgetPause = settle
	t.Cleanup(func() { testHookBudgetPause = nil })

	var crowdPhase atomic.Bool
	crowdPhase.Store(true)
	var closed atomic.Int64
	allClosed := make(chan struct{})
	h := &funcs{
		open: func(c *Conn) {
			_ = c.Control(func(fd uintptr) { setSockBuf(fd, unix.SO_SNDBUF) })
			if crowdPhase.Load() {
				c.SetContext(&crowdConn{})
			}
		},
		data: func(c *Conn, b []byte) {
			_, _ = c.Write(b)
			if cc, _ := c.Context().(*crowdConn); cc != nil {
				if cc.received += len(b); cc.received == perTx {
					settle(c)
				}
			}
		},
		close: func(*Conn, error) {
			if closed.Add(1) == peers+1 {
				close(allClosed)
			}
		},
	}
	r, sink := newTestReactor(t, WithLoops(loops), WithReadBufferSize(rdBuf), WithMemoryLimit(limit))
	ln := listen(t, r, h)

	d := net.Dialer{Timeout: testTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { setSockBuf(fd, unix.SO_RCVBUF) })
	}}
	payload := bytes.Repeat([]byte{'x'}, perTx)
	crowd := make([]net.Conn, 0, peers)
	var writers sync.WaitGroup
	defer func() {
		for _, c := range crowd {
			_ = c.Close() // ends the writers blocked by the paused server
		}
		writers.Wait()
	}()
	for range peers {
		c, err := d.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatalf("dial peer %d: %v", len(crowd), err)
		}
		crowd = append(crowd, c)
		_ = c.SetDeadline(time.Now().Add(2 * testTimeout))
		writers.Add(1)
		go func() {
			defer writers.Done()
			_, _ = c.Write(payload) // never reads
		}()
	}
	recv(t, allSettled, "every peer's data read or its connection paused")
	crowdPhase.Store(false)

	// A normal client is served while the crowd holds the budget.
	c := dial(t, ln.Addr())
	echoRoundTrip(t, c, string(bytes.Repeat([]byte("normal client "), normal/14)))

	st := r.MemoryStats()
	bound := int64(limit + loops*(budgetBatch+rdBuf) + peers*2*budgetReadCap)
	t.Logf("memory stats with the crowd: %+v (bound %d)", st, bound)
	if st.Queued > bound || st.Peak > bound {
		t.Fatalf("queued %d bytes, peak %d: over the limit %d plus slack (%d)", st.Queued, st.Peak, limit, bound)
	}
	if st.Overs == 0 || st.Pauses == 0 || st.Limit != limit {
		t.Fatalf("stats %+v: want the limit passed and connections paused", st)
	}
	err = sink.waitFor(t, "ErrMemoryLimit", func(err error) bool { return errors.Is(err, ErrMemoryLimit) })
	var me *MemoryLimitError
	if !errors.As(err, &me) || me.Limit != limit || me.Queued <= limit {
		t.Fatalf("reported %v, want a *MemoryLimitError over %d", err, limit)
	}

	// When the crowd leaves, its queues are given back.
	for _, c := range crowd {
		_ = c.Close()
	}
	_ = c.Close()
	recv(t, allClosed, "every connection closed")
	if st := r.MemoryStats(); st.Queued != 0 || st.Paused != 0 {
		t.Fatalf("after the crowd left: %+v, want nothing queued or paused", st)
	}
	writers.Wait()
	_ = ln.Close()
	_ = r.Close() // waits for the return of memory to the OS, if it began
	if st := r.MemoryStats(); st.Releases != 1 {
		t.Fatalf("after the crowd left: %+v, want memory returned to the OS once", st)
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := testkit.FDDiff(before, after); len(diff) > 0 {
		t.Fatalf("descriptors left open: %v", diff)
	}
}

// ensureNoFile raises the soft RLIMIT_NOFILE to at least n (within the hard
// limit) for the test.
func ensureNoFile(t *testing.T, n uint64) {
	t.Helper()
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	if uint64(old.Cur) >= n {
		return
	}
	if uint64(old.Max) < n {
		t.Fatalf("RLIMIT_NOFILE hard limit %d is below the %d this test needs", old.Max, n)
	}
	raised := old
	setRlimit(&raised.Cur, n)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &raised); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	t.Cleanup(func() { _ = unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })
}

// setRlimit stores v in an rlimit field (uint64 on Linux, int64 on the BSDs).
func setRlimit[T int64 | uint64](field *T, v uint64) { *field = T(v) }
