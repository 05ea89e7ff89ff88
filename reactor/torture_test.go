//go:build unix

package reactor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/testkit"
)

// TestTortureConns drives reactor connections through random interleavings:
// worker goroutines call Write, Close, Abort, CloseWrite, PauseRead,
// ResumeRead, Execute, AfterFunc and Control on random live connections,
// while peers send and check their streams, half-close or reset, and new
// connections keep replacing finished ones (with an idle timeout closing
// some), so descriptor numbers are reused all the time. At the end: every
// goroutine returned, every byte arrived once and in order (and all of it
// after a graceful close), no callback came after OnClose, no connection
// closed with an error its peer did not cause, and no descriptor or
// goroutine is left.
//
// Reproduce a failure with -torture.seed (interleavings still vary, the
// choices do not); soak with -torture.duration.
func TestTortureConns(t *testing.T) {
	duration, seed := testkit.Torture(t, 8*time.Second, 3*time.Second)
	before := fdSnapshot(t)

	x := &torture{all: make(map[uint64]*tconn)}
	r, err := New(WithLoops(2), WithIdleTimeout(150*time.Millisecond), WithLinger(5*time.Second),
		WithErrorHook(func(err error) { x.violate("error hook: %v", err) }))
	if err != nil {
		t.Fatal(err)
	}
	// Two listeners: one hands connections to the loops in turn (through a
	// task), one accepts on every loop (registering within a poll batch).
	var lns []*Listener
	var addrs []string
	for _, opts := range [][]ListenOption{nil, reusePortOpts} {
		ln, err := r.Listen(testContext(t), "tcp4", "127.0.0.1:0", x, opts...)
		if err != nil {
			_ = r.Close()
			t.Fatal(err)
		}
		lns = append(lns, ln)
		addrs = append(addrs, ln.Addr().String())
	}
	stopAt := time.Now().Add(duration)
	deadline := stopAt.Add(testTimeout)

	var workers, peers sync.WaitGroup
	for i := range 4 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			x.work(rand.New(rand.NewPCG(seed, uint64(i))), stopAt)
		}()
	}
	peers.Add(1)
	go func() { // keeps 16 peers running until stopAt
		defer peers.Done()
		slots := make(chan struct{}, 16)
		for n := uint64(0); time.Now().Before(stopAt); n++ {
			slots <- struct{}{}
			peers.Add(1)
			go func() {
				defer peers.Done()
				rng := rand.New(rand.NewPCG(seed, 1<<32+n))
				res := runPeer(addrs[rng.IntN(len(addrs))], rng, deadline)
				x.mu.Lock()
				x.peers = append(x.peers, res)
				x.mu.Unlock()
				<-slots
			}()
		}
	}()

	x.waitGroup(t, &workers, deadline, "the workers")
	// Close what is left gracefully; a connection opened from now on closes
	// in OnOpen.
	x.mu.Lock()
	x.closing = true
	left := append([]*tconn(nil), x.live...)
	x.mu.Unlock()
	for _, tc := range left {
		_ = tc.c.ResumeRead()
		tc.closeReq.Store(true)
		_ = tc.c.Close()
	}
	x.waitGroup(t, &peers, deadline, "the peers")
	x.mu.Lock()
	all := make([]*tconn, 0, len(x.all))
	for _, tc := range x.all {
		all = append(all, tc)
	}
	x.mu.Unlock()
	for _, tc := range all {
		select {
		case <-tc.done:
		case <-time.After(time.Until(deadline)):
			dumpGoroutines(t)
			t.Fatalf("conn %d never closed", tc.id)
		}
	}
	for _, ln := range lns {
		_ = ln.Close()
	}
	for _, l := range r.loops {
		empty := make(chan int, 1)
		if err := l.run(func(any) error { empty <- l.emptyReads; return nil }, nil); err != nil {
			t.Fatal(err)
		}
		if n := recv(t, empty, "loop's count"); n != 0 {
			x.violate("loop %d: %d reads found nothing after a readiness event: events reached the wrong connection", l.idx, n)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatalf("reactor Close: %v", err)
	}

	x.check(all)
	t.Logf("%d connections, %d peers, %d stall rescues", len(all), len(x.peers), r.Stats().Total.StallRescues)
	for i, v := range x.viol {
		if i == 20 {
			t.Errorf("... and %d more", len(x.viol)-i)
			break
		}
		t.Error(v)
	}
	if len(x.viol) > 0 {
		t.Logf("seed %d", seed)
	}
	checkNoLeaks(t, before)
}

// torture is the server side of TestTortureConns: the Handler of every
// server connection, and the record of what happened.
type torture struct {
	nextID atomic.Uint64

	mu      sync.Mutex
	live    []*tconn          // open server connections, for the workers
	all     map[uint64]*tconn // every server connection
	peers   []peerResult
	closing bool // the run is over: new connections close at once
	viol    []string
}

// tconn is the record of one server connection.
type tconn struct {
	c  *Conn
	id uint64

	wmu     sync.Mutex // serialises writes, so the stream offset is known
	written int64      // down-stream bytes the connection accepted; guarded by wmu

	closeReq atomic.Bool // Close or Abort was (about to be) called
	aborted  atomic.Bool // an Abort returned nil
	closed   atomic.Bool // OnClose came

	// Loop-owned until done is closed.
	got      int64 // up-stream bytes received, each checked
	badUp    bool
	eofClean bool // OnEOF came with no Close or Abort asked before it
	reason   error
	done     chan struct{}
}

func (x *torture) violate(format string, args ...any) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.viol = append(x.viol, fmt.Sprintf(format, args...))
}

// OnOpen sends the connection's id, then lets the workers at it.
func (x *torture) OnOpen(c *Conn) {
	tc := &tconn{c: c, id: x.nextID.Add(1), done: make(chan struct{})}
	c.SetContext(tc)
	var hdr [headerLen]byte
	binary.BigEndian.PutUint64(hdr[:], tc.id)
	if _, err := c.Write(hdr[:]); err != nil {
		x.violate("conn %d: header write in OnOpen: %v", tc.id, err)
	}
	if tc.id%4 == 0 { // as a proxy does until its other side is up
		_ = c.PauseRead()
	}
	x.mu.Lock()
	x.all[tc.id] = tc
	x.live = append(x.live, tc)
	closing := x.closing
	x.mu.Unlock()
	if closing {
		tc.closeReq.Store(true)
		_ = c.Close()
	}
}

// OnData checks the peer's stream.
func (x *torture) OnData(c *Conn, b []byte) {
	tc := c.Context().(*tconn)
	if tc.closed.Load() {
		x.violate("conn %d: OnData after OnClose", tc.id)
	}
	for i := 0; i < len(b) && !tc.badUp; i++ {
		if b[i] != upByte(tc.id, tc.got+int64(i)) {
			tc.badUp = true
			x.violate("conn %d: received byte %d differs from what its peer sent", tc.id, tc.got+int64(i))
		}
	}
	tc.got += int64(len(b))
}

// OnEOF leaves the connection open: the workers close it.
func (x *torture) OnEOF(c *Conn) {
	tc := c.Context().(*tconn)
	if tc.closed.Load() {
		x.violate("conn %d: OnEOF after OnClose", tc.id)
	}
	tc.eofClean = !tc.closeReq.Load()
}

// OnClose records the reason.
func (x *torture) OnClose(c *Conn, err error) {
	tc := c.Context().(*tconn)
	if tc.closed.Swap(true) {
		x.violate("conn %d: second OnClose(%v)", tc.id, err)
		return
	}
	tc.reason = err
	x.mu.Lock()
	for i, o := range x.live {
		if o == tc {
			x.live[i] = x.live[len(x.live)-1]
			x.live = x.live[:len(x.live)-1]
			break
		}
	}
	x.mu.Unlock()
	close(tc.done)
}

// write appends len(b) bytes of the down stream, from any goroutine, or
// with WriteDirect from the connection's loop.
func (tc *tconn) write(b []byte, direct bool) error {
	tc.wmu.Lock()
	defer tc.wmu.Unlock()
	fillStream(b, tc.id, tc.written, downByte)
	var n int
	var err error
	if direct {
		n, err = tc.c.WriteDirect(b)
	} else {
		n, err = tc.c.Write(b)
	}
	tc.written += int64(n)
	return err
}

// work calls random methods on random live connections until stopAt.
func (x *torture) work(rng *rand.Rand, stopAt time.Time) {
	buf := make([]byte, 64<<10)
	for time.Now().Before(stopAt) {
		x.mu.Lock()
		var tc *tconn
		if len(x.live) > 0 {
			tc = x.live[rng.IntN(len(x.live))]
		}
		x.mu.Unlock()
		if tc == nil {
			runtime.Gosched()
			continue
		}
		what, err := x.op(rng, tc, buf)
		if err != nil && !errors.Is(err, net.ErrClosed) {
			x.violate("conn %d: %s = %v, want nil or net.ErrClosed", tc.id, what, err)
		}
	}
}

// onLoopWrite is what Execute and AfterFunc run: a short write, on the loop.
func (x *torture) onLoopWrite(tc *tconn, size int, via string) func() {
	return func() {
		if tc.closed.Load() {
			x.violate("conn %d: %s function ran after OnClose", tc.id, via)
			return
		}
		if err := tc.write(make([]byte, size), true); err != nil && !errors.Is(err, net.ErrClosed) {
			x.violate("conn %d: WriteDirect from %s = %v", tc.id, via, err)
		}
	}
}

func (x *torture) op(rng *rand.Rand, tc *tconn, buf []byte) (string, error) {
	c := tc.c
	switch n := rng.IntN(100); {
	case n < 40:
		if c.Buffered() > 512<<10 {
			return "Buffered", nil
		}
		return "Write", tc.write(buf[:1+rng.IntN(len(buf))], false)
	case n < 48:
		return "Execute", c.Execute(x.onLoopWrite(tc, 1+rng.IntN(4096), "Execute"))
	case n < 50:
		// A slow callback: events pile up meanwhile, so the next poll
		// brings a batch in which timers, accepts and resets meet.
		d := time.Duration(1+rng.IntN(30)) * time.Millisecond
		return "Execute", c.Execute(func() { time.Sleep(d) })
	case n < 54:
		d := time.Duration(rng.IntN(20)) * time.Millisecond
		_, err := c.AfterFunc(d, x.onLoopWrite(tc, 1+rng.IntN(4096), "AfterFunc"))
		return "AfterFunc", err
	case n < 66:
		return "PauseRead", c.PauseRead()
	case n < 80:
		return "ResumeRead", c.ResumeRead()
	case n < 84:
		return "CloseWrite", c.CloseWrite()
	case n < 88:
		tc.closeReq.Store(true)
		return "Close", c.Close()
	case n < 90:
		tc.closeReq.Store(true)
		err := c.Abort()
		if err == nil {
			tc.aborted.Store(true)
		}
		return "Abort", err
	default:
		_ = c.LocalAddrPort()
		return "Control", c.Control(func(fd uintptr) {
			_, _ = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_SNDBUF)
		})
	}
}

// check compares every server connection with what its peer saw.
func (x *torture) check(all []*tconn) {
	byID := make(map[uint64]*peerResult, len(x.peers))
	headerless := 0
	for i := range x.peers {
		p := &x.peers[i]
		if p.id == 0 {
			headerless++
		}
		if p.bad != "" {
			x.violate("peer of conn %d (%v): %s", p.id, p.mode, p.bad)
		}
		if p.id != 0 {
			if byID[p.id] != nil {
				x.violate("two peers got id %d", p.id)
			}
			byID[p.id] = p
		}
	}
	for _, tc := range all {
		p := byID[tc.id]
		if p == nil {
			// Its peer never read the header: only an Abort at once drops it.
			if headerless--; headerless < 0 || !tc.aborted.Load() {
				x.violate("conn %d has no peer that read its header (aborted %v, OnClose(%v))", tc.id, tc.aborted.Load(), tc.reason)
			}
			continue
		}
		if p.received > tc.written {
			x.violate("conn %d: peer received %d bytes, only %d were written", tc.id, p.received, tc.written)
		}
		x.checkReason(tc, p)
		if tc.reason == nil && !tc.aborted.Load() && !p.reset && (!p.eof || p.received != tc.written) {
			x.violate("conn %d closed gracefully, yet its %v peer read %d of %d bytes (eof %v, err %v)",
				tc.id, p.mode, p.received, tc.written, p.eof, p.readErr)
		}
		if tc.eofClean && tc.got != p.upSent {
			x.violate("conn %d read EOF after %d bytes; its peer sent %d", tc.id, tc.got, p.upSent)
		}
	}
}

// checkReason: a connection closes with an errno only if its peer reset
// it (or had to abandon it); anything else is an error made up, or an
// event meant for another connection.
func (x *torture) checkReason(tc *tconn, p *peerResult) {
	err := tc.reason
	switch {
	case err == nil, errors.Is(err, ErrIdleTimeout), errors.Is(err, ErrLingerTimeout):
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		if !p.reset && p.readErr == nil {
			x.violate("conn %d: OnClose(%v), but its %v peer did not reset it (it read %d bytes, eof %v)",
				tc.id, err, p.mode, p.received, p.eof)
		}
	default:
		x.violate("conn %d: OnClose(%v)", tc.id, err)
	}
}

// waitGroup waits for wg until deadline, dumping every goroutine if it
// does not come: some call did not return.
func (x *torture) waitGroup(t *testing.T, wg *sync.WaitGroup, deadline time.Time, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
		dumpGoroutines(t)
		t.Fatalf("%s did not finish: a call never returned", what)
	}
}

func dumpGoroutines(t *testing.T) {
	buf := make([]byte, 1<<20)
	t.Logf("goroutines:\n%s", buf[:runtime.Stack(buf, true)])
}
