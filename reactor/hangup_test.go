package reactor

import (
	"testing"
	"time"
)

// TestHangUpWithoutErrorIsNotReset: EPOLLERR|EPOLLHUP reported while
// reading is paused, with no error pending on the socket (SO_ERROR 0), is
// no reset: the connection is not closed with a made-up ECONNRESET, and
// once reading resumes it delivers what the peer sent, then its EOF.
func TestHangUpWithoutErrorIsNotReset(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 1)
	closed := make(chan error, 1)
	gotEOF := make(chan string, 1)
	var got []byte // loop-owned
	h := &funcs{
		open: func(c *Conn) {
			_ = c.PauseRead()
			opened <- c
		},
		data: func(c *Conn, b []byte) { got = append(got, b...) },
		eof: func(c *Conn) {
			gotEOF <- string(got)
			_ = c.Close()
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	ln := listen(t, r, h)
	p := dial(t, ln.Addr())
	c := recv(t, opened, "OnOpen")
	const msg = "sent while paused"
	if _, err := p.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	// The hang-up event, as a stale or spurious one would come, on the
	// loop, after the pause took effect.
	hungUp := make(chan struct{})
	if err := c.Execute(func() {
		c.onEvent(errEvents)
		close(hungUp)
	}); err != nil {
		t.Fatal(err)
	}
	recv(t, hungUp, "the hang-up event")
	select {
	case err := <-closed:
		t.Fatalf("a hang-up with no socket error closed the connection: OnClose(%v)", err)
	default:
	}
	if err := p.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if err := c.ResumeRead(); err != nil {
		t.Fatalf("ResumeRead: %v", err)
	}
	select {
	case s := <-gotEOF:
		if s != msg {
			t.Fatalf("read %q before EOF, want %q", s, msg)
		}
	case err := <-closed:
		t.Fatalf("OnClose(%v) before the data and EOF", err)
	case <-time.After(testTimeout):
		t.Fatal("timed out waiting for the data and EOF")
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v) after both sides closed, want nil", err)
	}
}
