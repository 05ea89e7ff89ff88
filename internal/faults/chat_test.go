//go:build unix

package faults

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/chat/room"
	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// Chat abuse: the chat example's room against a client that never reads
// and sends 10 MiB of "\n" (each one a name prompt to answer). Its sender
// rate limit is off, so what bounds the room is its output path: every
// reply is checked against MaxQueue and the client's reading pauses while
// its queue is backed up. The room must hold that client's queue under
// MaxQueue, and still serve others promptly.

const chatMaxQueue = 256 << 10

func TestChatNeverReadingFlooder(t *testing.T) {
	r := newReactor(t)
	paused := make(chan string, 16)
	rm := &room.Room{MaxQueue: chatMaxQueue, LineRate: -1, OnPause: func(_ *reactor.Conn, why string) {
		select {
		case paused <- why:
		default:
		}
	}}
	srv, err := handler.Serve(testCtx(t), "tcp4", "127.0.0.1:0", rm, &handler.ServeOptions{Reactor: r})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	bad := smallWindowDial(t, srv.Addr())
	flooded := make(chan error, 1)
	go func() {
		_ = bad.SetWriteDeadline(time.Now().Add(testTimeout))
		_, err := bad.Write(bytes.Repeat([]byte("\n"), 10<<20))
		flooded <- err
	}()
	select {
	case why := <-paused:
		if why != "output" {
			t.Errorf("flooder paused for %q, want output", why)
		}
	case err := <-flooded:
		t.Fatalf("the room read all 10 MiB from a client that never reads (err %v)", err)
	case <-time.After(testTimeout):
		t.Fatal("the flooder was never paused")
	}
	if p := rm.PeakQueued(); p > chatMaxQueue {
		t.Fatalf("the room queued %d bytes for one client, over MaxQueue %d", p, chatMaxQueue)
	}
	t.Logf("largest queue: %d bytes (MaxQueue %d)", rm.PeakQueued(), chatMaxQueue)

	// Others are served meanwhile.
	a, b := chatJoin(t, srv.Addr(), "alice"), chatJoin(t, srv.Addr(), "bob")
	chatExpect(t, a, "* bob joined")
	chatSend(t, b, "hi")
	chatExpect(t, a, "bob: hi")

	_ = bad.Close()
	recv(t, flooded, "the end of the flood")
}

// smallWindowDial connects with a 4 KiB receive buffer, so what the server
// sends a client that never reads backs up in the server at once.
func smallWindowDial(t *testing.T, addr net.Addr) *net.TCPConn {
	t.Helper()
	d := net.Dialer{Timeout: testTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
		}); err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp4", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// chatClient is a line client of the room.
type chatClient struct {
	*net.TCPConn
	r *bufio.Reader
}

func chatJoin(t *testing.T, addr net.Addr, name string) *chatClient {
	t.Helper()
	c := &chatClient{TCPConn: stdDial(t, addr)}
	c.r = bufio.NewReader(c)
	chatExpect(t, c, "* welcome; send your name")
	chatSend(t, c, name)
	chatExpect(t, c, "* hello "+name)
	return c
}

func chatSend(t *testing.T, c *chatClient, line string) {
	t.Helper()
	if _, err := c.Write([]byte(line + "\n")); err != nil {
		t.Fatal(err)
	}
}

// chatExpect reads lines until one starts with want.
func chatExpect(t *testing.T, c *chatClient, want string) {
	t.Helper()
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatalf("waiting for %q: %v", want, err)
		}
		if strings.HasPrefix(l, want) {
			return
		}
	}
}
