//go:build unix

package room_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/chat/room"
	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/handler"
	"golang.org/x/sys/unix"
)

func TestChatSlowClientIsDisconnected(t *testing.T) {
	room := &room.Room{MaxQueue: 128 << 10, LineRate: -1} // only the receiver is slow here
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", room, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	addr := srv.Addr().String()

	talker := exampletest.JoinChat(t, addr, "talker")
	watcher := exampletest.JoinChat(t, addr, "watcher")
	slow := dialSmallWindow(t, addr)
	slow.Expect(t, "send your name")
	slow.Send(t, "slow")
	slow.Expect(t, "hello slow")
	watcher.Expect(t, "* slow joined")

	// The talker sends batches of lines; slow never reads; watcher reads
	// each batch before the next is sent, so only slow falls behind.
	line := strings.Repeat("m", 1000)
	const batch, most = 16, 20000
	for sent := 0; ; {
		if sent >= most {
			t.Fatalf("%d lines sent and the slow client is still connected", sent)
		}
		var buf strings.Builder
		for i := 0; i < batch; i++ {
			buf.WriteString(line + "\n")
		}
		_ = talker.SetWriteDeadline(time.Now().Add(exampletest.Wait))
		if _, err := talker.Write([]byte(buf.String())); err != nil {
			t.Fatal(err)
		}
		sent += batch
		if watcherDrains(t, watcher, batch) {
			break
		}
	}
	// The slow client's connection was reset: reading drains what reached
	// its kernel buffer, then fails.
	for {
		_, err := slow.TryReadLine(time.Now().Add(exampletest.Wait))
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("slow client not disconnected: %v", err)
		}
		break
	}
}

// watcherDrains reads n chat lines; it reports whether it saw the notice that
// the slow client was disconnected.
func watcherDrains(t *testing.T, c *exampletest.LineConn, n int) bool {
	t.Helper()
	deadline := time.Now().Add(exampletest.Wait)
	for got := 0; got < n; {
		l, err := c.TryReadLine(deadline)
		switch {
		case err != nil:
			t.Fatalf("watcher: %v", err)
		case l == "* slow was disconnected (too slow)":
			return true
		case strings.HasPrefix(l, "talker: "):
			got++
		default:
			t.Fatalf("watcher read %q", l)
		}
	}
	return false
}

// dialSmallWindow connects with a tiny receive buffer, so that a client that
// does not read backs up into the server quickly.
func dialSmallWindow(t *testing.T, addr string) *exampletest.LineConn {
	t.Helper()
	d := net.Dialer{Timeout: exampletest.Wait, Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return exampletest.NewLineConn(c)
}
