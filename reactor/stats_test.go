package reactor

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// statsServer listens with h wrapped so that each OnClose is announced on
// the returned channel after the reactor has counted the close.
func statsServer(t *testing.T, r *Reactor, h *funcs) (net.Addr, <-chan error) {
	t.Helper()
	closed := make(chan error, 16)
	inner := h.close
	h.close = func(c *Conn, err error) {
		if inner != nil {
			inner(c, err)
		}
		closed <- err
	}
	return listen(t, r, h).Addr(), closed
}

func TestStatsCountTrafficAndCloseCauses(t *testing.T) {
	r, sink := newTestReactor(t, WithLoops(1), WithIdleTimeout(time.Hour))
	h := echo()
	h.data = func(c *Conn, b []byte) {
		switch string(b) {
		case "panic":
			panic("boom")
		case "abort":
			_ = c.Abort()
		case "close":
			_, _ = c.Write([]byte("bye"))
			_ = c.Close()
		case "pause":
			_ = c.PauseRead()
			_, _ = c.Write([]byte("paused"))
		default:
			_, _ = c.Write(b)
		}
	}
	addr, closed := statsServer(t, r, h)

	// 1. An echo, then the peer's FIN first: PeerEOF.
	c := dial(t, addr)
	echoRoundTrip(t, c, "hello")
	_ = c.CloseWrite()
	if _, err := io.ReadAll(c); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, closed, "close 1"); err != nil {
		t.Fatalf("close 1: %v", err)
	}
	// 2. The server closes first: Local.
	c = dial(t, addr)
	_, _ = c.Write([]byte("close"))
	if b, err := io.ReadAll(c); err != nil || string(b) != "bye" {
		t.Fatalf("read %q, %v", b, err)
	}
	_ = c.Close()
	recv(t, closed, "close 2")
	// 3. Abort.
	c = dial(t, addr)
	_, _ = c.Write([]byte("abort"))
	recv(t, closed, "close 3")
	_ = c.Close()
	// 4. The peer resets: Reset.
	c = dial(t, addr)
	echoRoundTrip(t, c, "x")
	_ = c.SetLinger(0)
	_ = c.Close()
	if err := recv(t, closed, "close 4"); err == nil {
		t.Fatal("reset reported as a clean close")
	}
	// 5. A panic in OnData.
	c = dial(t, addr)
	_, _ = c.Write([]byte("panic"))
	var pe *PanicError
	if err := recv(t, closed, "close 5"); !errors.As(err, &pe) {
		t.Fatalf("close 5: %v, want a *PanicError", err)
	}
	sink.waitFor(t, "the panic", func(err error) bool { return errors.As(err, &pe) })
	_ = c.Close()
	// 6. A paused connection counts as paused until it closes.
	c = dial(t, addr)
	_, _ = c.Write([]byte("pause"))
	if b := make([]byte, 6); func() error { _, err := io.ReadFull(c, b); return err }() != nil || string(b) != "paused" {
		t.Fatalf("reply %q", b)
	}
	if s := r.Stats(); s.Total.Paused != 1 || s.Total.Open != 1 {
		t.Fatalf("paused=%d open=%d, want 1 and 1", s.Total.Paused, s.Total.Open)
	}
	_ = c.Close()
	_ = r.Close()
	if err := recv(t, closed, "close 6"); !errors.Is(err, ErrClosed) {
		t.Fatalf("close 6: %v, want ErrClosed", err)
	}

	s := r.Stats()
	want := CloseCounts{PeerEOF: 1, Local: 1, Abort: 1, Reset: 1, Panic: 1, Stopped: 1}
	if s.Total.Closed != want {
		t.Errorf("closed = %+v, want %+v", s.Total.Closed, want)
	}
	if s.Total.Accepted != 6 || s.Total.Open != 0 || s.Total.Paused != 0 || s.Total.Queued != 0 || s.Total.Panics != 1 {
		t.Errorf("total = %+v", s.Total)
	}
	// Read: hello, close, abort, x, panic, pause; written: hello, bye, x, paused.
	if rd, wr := s.Total.BytesRead, s.Total.BytesWritten; rd != 5+5+5+1+5+5 || wr != 5+3+1+6 {
		t.Errorf("bytes read %d, written %d", rd, wr)
	}
	if len(s.Loops) != 1 || s.Loops[0] != s.Total {
		t.Errorf("loops = %+v, want one equal to the total", s.Loops)
	}
}

func TestStatsIdleAndDialed(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(2), WithIdleTimeout(50*time.Millisecond))
	addr, closed := statsServer(t, r, echo())
	c := dial(t, addr)
	if err := recv(t, closed, "idle close"); !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("close: %v, want ErrIdleTimeout", err)
	}
	_ = c.Close()
	dc := make(chan error, 1)
	conn, err := r.Dial(testContext(t), "tcp", stdEchoServer(t).String(), &funcs{close: func(_ *Conn, err error) { dc <- err }})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if s.Total.Closed.Idle != 1 || s.Total.Dialed != 1 || s.Total.Accepted != 1 {
		t.Fatalf("total = %+v", s.Total)
	}
	_ = conn.Abort()
	recv(t, dc, "dialled close")
}

func TestStatsTasksAndQueued(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	hold := make(chan *Conn, 1)
	h := &funcs{open: func(c *Conn) { hold <- c }}
	addr, _ := statsServer(t, r, h)
	peer := dial(t, addr)
	c := recv(t, hold, "open")
	before := r.Stats().Total.TasksRun
	// The peer never reads: what does not fit the socket buffers stays queued.
	big := make([]byte, 32<<20)
	if _, err := c.Write(big); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	if err := c.Execute(func() { close(done) }); err != nil {
		t.Fatal(err)
	}
	recv(t, done, "execute")
	s := r.Stats().Total
	if s.TasksRun <= before || s.Queued <= 0 || s.Queued > int64(len(big)) {
		t.Fatalf("tasks %d (before %d), queued %d", s.TasksRun, before, s.Queued)
	}
	if int64(c.Buffered()) != s.Queued {
		t.Fatalf("queued %d, conn buffered %d", s.Queued, c.Buffered())
	}
	_ = peer.Close()
}

// A Logger gets what the reactor reports, tagged with the loop and peer.
func TestLoggerTagsLoopAndPeer(t *testing.T) {
	var buf syncBuffer
	r, err := New(WithLoops(1), WithLogger(slogTo(&buf)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	closed := make(chan struct{})
	ln := listen(t, r, &funcs{data: func(*Conn, []byte) { panic("boom") }, close: func(*Conn, error) { close(closed) }})
	c := dial(t, ln.Addr())
	_, _ = c.Write([]byte("x"))
	recv(t, closed, "close")
	out := buf.String()
	for _, want := range []string{"loop=0", "peer=" + c.LocalAddr().String(), "boom"} {
		if !contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
