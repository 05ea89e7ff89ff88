package reactor

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// patternTable holds byte(i%251) for i from 0; a stream position p is
// checked against patternTable[p%251:], for reads up to the default
// ReadBufferSize.
var patternTable = func() []byte {
	b := make([]byte, 251*(256<<10/251+2))
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}()

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func TestPauseReadHoldsPeerBack(t *testing.T) {
	const (
		limit    = 1 << 30
		chunk    = 32 << 10
		maxHeap  = 16 << 20
		maxHeld  = 128 << 20
		deadline = 2 * time.Second
	)
	r, _ := newTestReactor(t, WithLoops(1))
	opened := make(chan *Conn, 1)
	var (
		received   atomic.Int64 // bytes seen by OnData
		mismatches atomic.Int64
	)
	result := make(chan int64, 1)
	h := &funcs{
		open: func(c *Conn) {
			if err := c.PauseRead(); err != nil {
				t.Errorf("PauseRead: %v", err)
			}
			opened <- c
		},
		data: func(c *Conn, b []byte) {
			n := received.Load()
			off := int(n % 251)
			if !bytes.Equal(b, patternTable[off:off+len(b)]) {
				mismatches.Add(1)
			}
			received.Add(int64(len(b)))
		},
		eof: func(c *Conn) {
			result <- received.Load()
			_ = c.Close()
		},
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	sc := recv(t, opened, "OnOpen")
	before := heapInuse()

	_ = c.SetWriteDeadline(time.Now().Add(deadline))
	var sent int64
	var werr error
	for sent < limit && werr == nil {
		off := int(sent % 251)
		var n int
		n, werr = c.Write(patternTable[off : off+chunk])
		sent += int64(n)
	}
	if !errors.Is(werr, os.ErrDeadlineExceeded) {
		t.Fatalf("client wrote %d bytes, last error %v; want its write deadline to fire", sent, werr)
	}
	if sent > maxHeld {
		t.Fatalf("client wrote %d bytes into a paused connection; want it held back by TCP (< %d)", sent, maxHeld)
	}
	growth := int64(heapInuse()) - int64(before)
	t.Logf("paused: client wrote %d bytes before its deadline; server heap grew %d bytes", sent, growth)
	if growth > maxHeap {
		t.Errorf("heap grew %d bytes while reading was paused, want <= %d", growth, maxHeap)
	}
	if n := received.Load(); n != 0 {
		t.Fatalf("OnData got %d bytes while reading was paused", n)
	}

	if err := sc.ResumeRead(); err != nil {
		t.Fatalf("ResumeRead: %v", err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if n := recv(t, result, "OnEOF after ResumeRead"); n != sent {
		t.Fatalf("server received %d bytes, client wrote %d", n, sent)
	}
	if m := mismatches.Load(); m != 0 {
		t.Fatalf("%d OnData calls saw bytes out of order or altered", m)
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("client read to EOF: %v", err)
	}
}

// notifier is a handler that reports write-queue water marks.
type notifier struct {
	funcs
	events chan string
}

func (n *notifier) OnWriteBlocked(c *Conn) {
	n.events <- "blocked"
	if q := c.Buffered(); q < 256<<10 {
		n.events <- "Buffered() below the high-water mark when blocked"
	}
}

func (n *notifier) OnWriteDrained(c *Conn) {
	n.events <- "drained"
	if q := c.Buffered(); q > 64<<10 {
		n.events <- "Buffered() above the low-water mark when drained"
	}
}

func TestWriteNotifierBlockedThenDrained(t *testing.T) {
	const total = 16 << 20
	r, _ := newTestReactor(t, WithWriteWaterMarks(256<<10, 64<<10))
	h := &notifier{events: make(chan string, 16)}
	h.open = func(c *Conn) {
		for sent := 0; sent < total; sent += 64 << 10 {
			off := sent % 251
			_, _ = c.Write(patternTable[off : off+64<<10])
		}
		_ = c.Close()
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	// Read nothing until the server knows its queue is over the mark.
	if ev := recv(t, h.events, "OnWriteBlocked"); ev != "blocked" {
		t.Fatalf("first water-mark event %q, want blocked", ev)
	}
	n := readRepeating(t, c, make([]byte, 64<<10), patternTable, 251)
	if n != total {
		t.Fatalf("read %d bytes, want %d", n, total)
	}
	if ev := recv(t, h.events, "OnWriteDrained"); ev != "drained" {
		t.Fatalf("second water-mark event %q, want drained", ev)
	}
	select {
	case ev := <-h.events:
		t.Fatalf("unexpected water-mark event %q", ev)
	default:
	}
}
