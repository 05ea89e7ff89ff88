//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWriteDirectKeepsTheReset: a peer's reset, taken by a WriteDirect's
// system call, closes the connection with ECONNRESET. The kernel reports
// it once: after that write, writes fail with EPIPE and reads return a
// plain EOF. Before, WriteDirect dropped the error, and the connection
// closed with EPIPE at its next flush, or, if a read came first (the flush
// was a task that a busy round left for the next one), reported OnEOF as
// if the peer had closed cleanly: the torture test saw "read EOF after
// 119276 bytes; its peer sent 424664". Here the task that writes runs a
// round's budget, so the flush waits for the round after the reset's
// readiness event.
func TestWriteDirectKeepsTheReset(t *testing.T) {
	r, _ := newTestReactor(t, WithLoops(1))
	h := reportingEcho()
	ln := listen(t, r, h.funcs)
	peer := dial(t, ln.Addr())
	c := recv(t, h.opened, "OnOpen")

	running, reset := make(chan struct{}), make(chan struct{})
	wrote := make(chan error, 1)
	if err := c.Execute(func() {
		close(running)
		<-reset // the peer's RST has reached the socket: the loop has not looked since
		_, err := c.WriteDirect([]byte("after the reset"))
		wrote <- err
		for t0 := monotonic(); monotonic()-t0 < roundBudget; {
			// keep this round busy: the flush that write queued waits
		}
	}); err != nil {
		t.Fatal(err)
	}
	recv(t, running, "the writing task") // holding the loop
	if err := peer.SetLinger(0); err != nil {
		t.Fatal(err)
	}
	if err := peer.Close(); err != nil { // sends an RST
		t.Fatal(err)
	}
	// The RST is in when the socket leaves ESTABLISHED. TCP_INFO reads its
	// state without taking the pending error, as SO_ERROR would.
	spinUntil(t, "the reset to arrive", func() bool {
		info, err := unix.GetsockoptTCPInfo(c.fd, unix.IPPROTO_TCP, unix.TCP_INFO)
		return err == nil && info.State != unix.BPF_TCP_ESTABLISHED
	})
	close(reset)
	if err := recv(t, wrote, "WriteDirect"); err != nil {
		t.Fatalf("WriteDirect = %v; want nil (it queued the rest: errors come in OnClose)", err)
	}
	err := recv(t, h.closed, "OnClose")
	select {
	case <-h.eof:
		t.Errorf("OnEOF came: the peer reset the connection, it did not close it")
	default:
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("OnClose(%v), want ECONNRESET", err)
	}
}
