//go:build windows || usocket_netstd

package reactor

import "testing"

// TestNetWriteCountedBeforeClose: a write goroutine's bytes are counted in
// BytesWritten before OnClose, even when the connection is reset before
// the loop takes the write's result. The hook holds that result back until
// the connection has closed; before the fix the count was 0 then.
func TestNetWriteCountedBeforeClose(t *testing.T) {
	release := make(chan struct{})
	testHookNetWritten = func() { <-release }
	t.Cleanup(func() { testHookNetWritten = nil })
	defer close(release) // before the reactor's cleanup waits for the writer

	r, _ := newTestReactor(t, WithLoops(1))
	closed := make(chan error, 1)
	ln := listen(t, r, &funcs{data: echoData, close: func(_ *Conn, err error) { closed <- err }})
	c := dial(t, ln.Addr())
	echoRoundTrip(t, c, "x")
	_ = c.SetLinger(0)
	_ = c.Close()
	if err := recv(t, closed, "OnClose"); err == nil {
		t.Fatal("reset reported as a clean close")
	}
	if got := r.Stats().Total.BytesWritten; got != 1 {
		t.Fatalf("BytesWritten after OnClose = %d, want 1", got)
	}
}
