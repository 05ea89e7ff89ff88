package udp

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

// blockedReceive starts a Receive on c and returns its result channel.
func blockedReceive(c *Conn) <-chan error {
	errc := make(chan error, 1)
	go func() {
		_, _, _, err := c.Receive(make([]byte, 16))
		errc <- err
	}()
	return errc
}

func waitErr(t *testing.T, errc <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-errc:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: blocked Receive was not woken", what)
		return nil
	}
}

func TestDeadlineWakesBlockedReceive(t *testing.T) {
	c := listen(t, "127.0.0.1")
	errc := blockedReceive(c)
	// Whether or not Receive is already parked, moving the deadline into
	// the past must end it with a timeout.
	if err := c.SetReadDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	checkTimeout(t, waitErr(t, errc, "past deadline"))

	// A future deadline fires by itself.
	if err := c.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	checkTimeout(t, waitErr(t, blockedReceive(c), "timer deadline"))

	// Clearing the deadline makes Receive work again.
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	peer := listen(t, "127.0.0.1")
	errc = blockedReceive(c)
	if _, err := peer.Send([]byte("after"), c.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, errc, "datagram"); err != nil {
		t.Fatalf("Receive after clearing the deadline: %v", err)
	}
}

func TestDeadlineMovedLater(t *testing.T) {
	c := listen(t, "127.0.0.1")
	peer := listen(t, "127.0.0.1")
	if err := c.SetReadDeadline(time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	errc := blockedReceive(c)
	// Move it later while Receive may be blocked: the datagram still comes.
	if err := c.SetReadDeadline(time.Now().Add(time.Hour * 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := peer.Send([]byte("x"), c.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, errc, "datagram"); err != nil {
		t.Fatalf("Receive: %v", err)
	}
}

func TestReadTimeout(t *testing.T) {
	cfg := Config{ReadTimeout: 20 * time.Millisecond}
	c, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.ReadTimeout() != 20*time.Millisecond {
		t.Fatalf("ReadTimeout = %v", c.ReadTimeout())
	}
	checkTimeout(t, waitErr(t, blockedReceive(c), "read timeout"))
	if err := c.SetReadTimeout(0); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	checkTimeout(t, waitErr(t, blockedReceive(c), "deadline after timeout removed"))
}

func TestCloseWakesBlockedReceive(t *testing.T) {
	c, err := Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	errc := blockedReceive(c)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkOpError(t, waitErr(t, errc, "Close"), net.ErrClosed)
}

func TestWriteDeadline(t *testing.T) {
	c := listen(t, "127.0.0.1")
	if err := c.SetWriteDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	_, err := c.Send([]byte("x"), netip.MustParseAddrPort("127.0.0.1:9"))
	checkTimeout(t, err)
	if err := c.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send([]byte("x"), c.LocalAddrPort()); err != nil {
		t.Fatalf("Send after clearing the deadline: %v", err)
	}
}

// TestSendWaitsForSpace fills a tiny send buffer from many goroutines so
// that sends meet EAGAIN and wait for writability; all must complete.
func TestSendWaitsForSpace(t *testing.T) {
	cfg := Config{WriteBuffer: 4096, ReadBuffer: 1 << 20}
	ctx := testCtx(t)
	sink, err := cfg.Listen(ctx, "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	src, err := cfg.Dial(ctx, "127.0.0.1", int(sink.LocalAddrPort().Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	deadlineIn(t, src, 10*time.Second)
	const senders, each = 8, 200
	errc := make(chan error, senders)
	for range senders {
		go func() {
			b := make([]byte, MaxDatagramSize)
			for range each {
				if _, err := src.Write(b); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range senders {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatalf("Write: %v", err)
			}
		case <-ctx.Done():
			t.Fatal("senders did not finish")
		}
	}
	t.Logf("sends that waited for buffer space: %d", src.spaceWaits.Load())
}
