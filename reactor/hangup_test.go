package reactor

import (
	"fmt"
	"testing"
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
	var got []byte  // loop-owned
	sawEOF := false // loop-owned
	h := &funcs{
		open: func(c *Conn) {
			_ = c.PauseRead()
			opened <- c
		},
		data: func(c *Conn, b []byte) { got = append(got, b...) },
		eof: func(c *Conn) {
			sawEOF = true
			gotEOF <- string(got)
			_ = c.Close()
		},
		close: func(c *Conn, err error) {
			if !sawEOF {
				gotEOF <- fmt.Sprintf("nothing: OnClose(%v) came first", err)
			}
			closed <- err
		},
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
	// OnEOF must come first (OnClose follows from its Close).
	if s := recv(t, gotEOF, "OnEOF"); s != msg {
		t.Fatalf("read %q before EOF, want %q", s, msg)
	}
	if err := recv(t, closed, "OnClose"); err != nil {
		t.Fatalf("OnClose(%v) after both sides closed, want nil", err)
	}
}
