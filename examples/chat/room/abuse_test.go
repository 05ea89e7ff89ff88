//go:build unix

package room_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/chat/room"
	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
)

// meter wraps a Room and records the largest outbound queue
// (reactor.Conn.Buffered) of a connection after each of its callbacks. A
// connection past limit is aborted and the breach recorded, so that a room
// without bounds fails the test at once instead of eating the machine.
type meter struct {
	*room.Room
	limit int
	peak  atomic.Int64
	over  atomic.Bool
}

func (h *meter) OnOpen(c *reactor.Conn) { h.Room.OnOpen(c); h.observe(c) }

func (h *meter) OnData(c *reactor.Conn, b []byte) { h.Room.OnData(c, b); h.observe(c) }

func (h *meter) observe(c *reactor.Conn) {
	n := int64(c.Buffered())
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	if n > int64(h.limit) {
		h.over.Store(true)
		_ = c.Abort()
	}
}

// serveRoom serves h on a private reactor until the test ends.
func serveRoom(t *testing.T, h reactor.Handler) string {
	t.Helper()
	srv, err := handler.Serve(context.Background(), "tcp", "127.0.0.1:0", h, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String()
}

// pauses returns a hook for Room.onPause and the channel it reports on.
func pauses() (func(*reactor.Conn, string), chan string) {
	ch := make(chan string, 16)
	return func(_ *reactor.Conn, why string) {
		select {
		case ch <- why:
		default:
		}
	}, ch
}

// ended waits for a flood to end (its write deadline bounds it).
func ended(t *testing.T, f *flooding) {
	t.Helper()
	select {
	case <-f.done:
	case <-time.After(2 * exampletest.Wait):
		t.Fatal("flood did not end")
	}
}

// flooding is a write in the background: done is closed when it returns,
// with its error in err, so that several waits may see it end.
type flooding struct {
	done chan struct{}
	err  error
}

// flood writes b to c in the background.
func flood(c net.Conn, b []byte) *flooding {
	f := &flooding{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		_ = c.SetWriteDeadline(time.Now().Add(exampletest.Wait))
		_, f.err = c.Write(b)
	}()
	return f
}

// TestChatNeverReaderStaysBounded: a client that never reads and sends
// 10 MiB of "\n" (each one a name prompt to answer) does not make the room
// queue more than MaxQueue for it: its reading pauses while its queue is
// full, or its rate limit holds it back. Others are still served.
func TestChatNeverReaderStaysBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		rate float64
		why  string
	}{{"rate-limited", 0, "rate"}, {"unlimited", -1, "output"}} {
		t.Run(tc.name, func(t *testing.T) {
			const maxQueue = 256 << 10
			hook, paused := pauses()
			m := &meter{Room: &room.Room{MaxQueue: maxQueue, LineRate: tc.rate, OnPause: hook}, limit: maxQueue}
			addr := serveRoom(t, m)
			bad := dialSmallWindow(t, addr)
			done := flood(bad, bytes.Repeat([]byte("\n"), 10<<20))
			select {
			case why := <-paused:
				if why != tc.why {
					t.Errorf("reading paused for %q, want %q", why, tc.why)
				}
			case <-done.done:
				t.Logf("flood ended: %v", done.err)
			case <-time.After(exampletest.Wait):
				t.Fatal("the flood neither ended nor was paused")
			}
			if m.over.Load() {
				t.Fatalf("queue of the never-reading client passed %d bytes", maxQueue)
			}
			if p := m.PeakQueued(); p > maxQueue {
				t.Fatalf("room reports a queue of %d bytes, over %d", p, maxQueue)
			}
			t.Logf("largest queue: %d bytes (room: %d)", m.peak.Load(), m.PeakQueued())
			honest := exampletest.JoinChat(t, addr, "honest")
			honest.Send(t, "/who")
			honest.Expect(t, "* here: honest")
			_ = bad.Close()
			ended(t, done)
		})
	}
}

// TestChatFlooderDoesNotEvictListener: a member sending lines as fast as
// it can is held to its rate, so an honest member who is not reading at
// the moment is not disconnected as too slow. The limiter's clock is
// frozen: the flooder gets exactly its burst through.
func TestChatFlooderDoesNotEvictListener(t *testing.T) {
	const burst = 20
	t0 := time.Now()
	hook, paused := pauses()
	room := &room.Room{MaxQueue: 64 << 10, MaxLine: 1024, LineRate: 10, LineBurst: burst,
		Clock: func() time.Time { return t0 }, OnPause: hook}
	addr := serveRoom(t, room)
	listener := exampletest.JoinChat(t, addr, "listener")
	flooder := exampletest.JoinChat(t, addr, "flooder")
	line := strings.Repeat("f", 1000) + "\n"
	done := flood(flooder, []byte(strings.Repeat(line, 2000))) // 2 MB: 30 times MaxQueue
	select {
	case <-paused:
	case <-done.done:
	case <-time.After(exampletest.Wait):
		t.Fatal("the flood neither ended nor was paused")
	}
	prober := exampletest.JoinChat(t, addr, "prober")
	prober.Send(t, "done")
	got := 0
	for {
		l, err := listener.TryReadLine(time.Now().Add(exampletest.Wait))
		switch {
		case err != nil:
			t.Fatalf("listener after %d flood lines: %v (disconnected by the flood)", got, err)
		case l == "prober: done":
			if got == 0 || got > burst {
				t.Fatalf("listener got %d flood lines, want 1 to %d", got, burst)
			}
			_ = flooder.Close()
			ended(t, done)
			return
		case strings.HasPrefix(l, "flooder: "):
			got++
		case l == "* flooder joined", l == "* prober joined":
		default:
			t.Fatalf("listener read %q", l)
		}
	}
}

// TestChatDuplicateNamesRefused: a name in use, in any case, is refused at
// join and by /nick.
func TestChatDuplicateNamesRefused(t *testing.T) {
	addr := serveRoom(t, &room.Room{})
	alice := exampletest.JoinChat(t, addr, "alice")
	c := exampletest.DialLines(t, addr)
	c.Expect(t, "send your name")
	for _, name := range []string{"alice", "ALICE", "Alice"} {
		c.Send(t, name)
		c.Expect(t, "is taken")
	}
	c.Send(t, "bob")
	c.Expect(t, "hello bob")
	alice.Expect(t, "* bob joined")
	c.Send(t, "/nick Alice")
	c.Expect(t, "is taken")
	c.Send(t, "/who")
	if line, _ := c.Expect(t, "* here:"); line != "* here: alice, bob" {
		t.Fatalf("/who: %q", line)
	}
}

// TestChatEscapesControlCharacters: names with control characters are
// refused; lines reach others with control and bidi characters escaped, so
// ANSI sequences cannot drive their terminals.
func TestChatEscapesControlCharacters(t *testing.T) {
	addr := serveRoom(t, &room.Room{})
	alice := exampletest.JoinChat(t, addr, "alice")
	c := exampletest.DialLines(t, addr)
	c.Expect(t, "send your name")
	for _, name := range []string{"\x1b[31mred", "bell\a", "bad\xff", "rtl\u202e"} {
		c.Send(t, name)
		c.Expect(t, "send your name")
	}
	c.Send(t, "bob")
	c.Expect(t, "hello bob")
	alice.Expect(t, "* bob joined")
	c.Send(t, "hi \x1b[2J\x1b[31mred\a \u202eevil\x9b1m end\xff")
	want := `bob: hi \x1b[2J\x1b[31mred\x07 \u202eevil\x9b1m end\xff`
	if got := alice.ReadLine(t); got != want {
		t.Fatalf("alice read %q, want %q", got, want)
	}
	c.Send(t, "/nick \x1b]0;pwned\a")
	c.Expect(t, "usage: /nick")
}
