//go:build unix

package reactor

import (
	"bytes"
	"errors"
	"net"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// onConnLoop runs f on c's loop and waits for it.
func onConnLoop(t *testing.T, c *Conn, f func()) {
	t.Helper()
	done := make(chan struct{})
	if err := c.Execute(func() { f(); close(done) }); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	recv(t, done, "Execute")
}

// TestBudgetPauseAndUserPauseAreIndependent: ResumeRead does not lift the
// memory limit's pause, and the limit's resume does not lift PauseRead.
func TestBudgetPauseAndUserPauseAreIndependent(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 1)
	got := make(chan string, 16)
	h := &funcs{
		open: func(c *Conn) { opened <- c },
		data: func(c *Conn, b []byte) { got <- string(b) },
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	sc := recv(t, opened, "OnOpen")
	reading := func() (on bool) {
		onConnLoop(t, sc, func() { on = sc.events&readEvents != 0 })
		return on
	}

	onConnLoop(t, sc, sc.budgetPause)
	if err := sc.ResumeRead(); err != nil {
		t.Fatalf("ResumeRead: %v", err)
	}
	if reading() {
		t.Fatal("ResumeRead lifted the memory limit's pause")
	}
	if err := sc.PauseRead(); err != nil {
		t.Fatalf("PauseRead: %v", err)
	}
	onConnLoop(t, sc, func() { _ = budgetResumeTask(sc.loop) })
	if reading() {
		t.Fatal("the memory limit's resume lifted PauseRead")
	}
	if st := r.MemoryStats(); st.Pauses != 1 || st.Paused != 0 {
		t.Fatalf("stats %+v: want 1 pause, none left", st)
	}
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatalf("write: %v", err)
	}
	if err := sc.ResumeRead(); err != nil {
		t.Fatalf("ResumeRead: %v", err)
	}
	if s := recv(t, got, "data after ResumeRead"); s != "ping" {
		t.Fatalf("OnData got %q, want ping", s)
	}
}

// TestMemoryLimitResumesBelowLowWater: a connection the limit paused, whose
// peer still does not read, reads again once another connection's queue is
// dropped and the total falls below half the limit.
func TestMemoryLimitResumesBelowLowWater(t *testing.T) {
	const (
		limit = 1 << 20
		bigTx = 4 << 20 // the hog's
		smlTx = 64 << 10
	)
	type peer struct {
		name     string
		received int
		done     chan struct{}
	}
	paused := make(chan string, 16)
	testHookBudgetPause = func(c *Conn) { paused <- c.Context().(*peer).name }
	t.Cleanup(func() { testHookBudgetPause = nil })
	next := make(chan *peer, 1)
	h := &funcs{
		open: func(c *Conn) {
			_ = c.Control(func(fd uintptr) { setSockBuf(fd, unix.SO_SNDBUF) })
			c.SetContext(<-next)
		},
		data: func(c *Conn, b []byte) {
			_, _ = c.Write(b)
			p := c.Context().(*peer)
			if p.received += len(b); p.received == smlTx && p.name == "small" {
				close(p.done)
			}
		},
	}
	r, sink := newTestReactor(t, WithLoops(1), WithMemoryLimit(limit))
	sink.allowed.Store(true) // ErrMemoryLimit is expected
	ln := listen(t, r, h)
	d := net.Dialer{Timeout: testTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { setSockBuf(fd, unix.SO_RCVBUF) })
	}}
	var writers sync.WaitGroup
	t.Cleanup(writers.Wait)
	start := func(p *peer, n int) net.Conn {
		next <- p
		c, err := d.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { _ = c.Close() })
		_ = c.SetDeadline(time.Now().Add(testTimeout))
		writers.Add(1)
		go func() {
			defer writers.Done()
			_, _ = c.Write(bytes.Repeat([]byte{'x'}, n)) // never reads
		}()
		return c
	}

	hog := start(&peer{name: "hog"}, bigTx)
	if who := recv(t, paused, "the hog paused"); who != "hog" {
		t.Fatalf("%s paused first", who)
	}
	small := &peer{name: "small", done: make(chan struct{})}
	start(small, smlTx)
	if who := recv(t, paused, "the small peer paused"); who != "small" {
		t.Fatalf("%s paused, want the small peer", who)
	}
	// The hog leaves with its queue: its RST closes the server side.
	_ = hog.(*net.TCPConn).SetLinger(0)
	_ = hog.Close()
	recv(t, small.done, "the small peer's data read after the total fell")
	if st := r.MemoryStats(); st.Paused != 0 || st.Pauses < 2 || st.Queued > limit/2 {
		t.Fatalf("stats %+v: want nothing paused after 2 pauses, under half the limit", st)
	}
}

// TestWithMemoryLimitDefaults: 0 or less turns the limit off; left unset it
// is DefaultMemoryLimit, or a quarter of a lower GOMEMLIMIT.
func TestWithMemoryLimitDefaults(t *testing.T) {
	old := debug.SetMemoryLimit(400 << 20)
	r, err := New(WithLoops(1))
	debug.SetMemoryLimit(old)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	got := r.MemoryStats().Limit
	_ = r.Close()
	if got != 100<<20 {
		t.Errorf("limit under GOMEMLIMIT=400MiB: %d, want 100 MiB", got)
	}

	for _, tc := range []struct {
		opts []Option
		want int64
	}{
		{nil, DefaultMemoryLimit},
		{[]Option{WithMemoryLimit(0)}, 0},
		{[]Option{WithMemoryLimit(-5)}, 0},
		{[]Option{WithOptions(Options{MemoryLimit: NoMemoryLimit})}, 0},
		{[]Option{WithMemoryLimit(1 << 20)}, 1 << 20},
	} {
		r, err := New(append([]Option{WithLoops(1)}, tc.opts...)...)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		got := r.MemoryStats().Limit
		_ = r.Close()
		if got != tc.want {
			t.Errorf("limit %d, want %d", got, tc.want)
		}
	}
	err = &MemoryLimitError{Limit: 1, Queued: 2}
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("%v does not match ErrMemoryLimit", err)
	}
}
