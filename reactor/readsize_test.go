package reactor

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"
)

// pausingEcho echoes with WriteDirect and pauses reading while its queue is
// above the high-water mark, as handler.Echo does; it records the most
// output it ever had queued after an OnData.
type pausingEcho struct {
	BaseHandler
	mu        sync.Mutex
	maxQueued int
	blocked   chan struct{}
	drained   chan struct{} // if not nil, told of every OnWriteDrained it has room for
	once      sync.Once
}

func (h *pausingEcho) OnData(c *Conn, b []byte) {
	_, _ = c.WriteDirect(b)
	h.mu.Lock()
	h.maxQueued = max(h.maxQueued, c.Buffered())
	h.mu.Unlock()
}

func (h *pausingEcho) OnWriteBlocked(c *Conn) {
	_ = c.PauseRead()
	h.once.Do(func() { close(h.blocked) })
}

func (h *pausingEcho) OnWriteDrained(c *Conn) {
	_ = c.ResumeRead()
	select {
	case h.drained <- struct{}{}:
	default:
	}
}

// TestQueuedReadStaysNearHighWater pins the read size of a connection with
// output queued: an echo to a peer that does not read stops at the write
// high-water mark plus at most queuedReadMin, however large the read
// buffer, instead of overshooting by a whole read.
func TestQueuedReadStaysNearHighWater(t *testing.T) {
	const high = 64 << 10
	r, _ := newTestReactor(t, WithLoops(1), WithWriteWaterMarks(high, high/4))
	h := &pausingEcho{blocked: make(chan struct{})}
	ln := listen(t, r, h)
	c := dialSmallRead(t, ln.Addr(), 16<<10) // fill the path quickly; nothing is read
	chunk := make([]byte, 64<<10)
	_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	var werr error
	for werr == nil {
		_, werr = c.Write(chunk)
	}
	if !errors.Is(werr, os.ErrDeadlineExceeded) {
		t.Fatalf("client write: %v; want its deadline to end the push", werr)
	}
	recv(t, h.blocked, "OnWriteBlocked")
	h.mu.Lock()
	got := h.maxQueued
	h.mu.Unlock()
	t.Logf("most queued after a read: %d bytes (high-water mark %d)", got, high)
	if limit := high + queuedReadMin; got > limit {
		t.Fatalf("an echo queued %d bytes, want at most the high-water mark plus %d = %d", got, queuedReadMin, limit)
	}
}
