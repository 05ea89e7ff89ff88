package udp

import (
	"errors"
	"os"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/reactor"
)

// batchPool holds the loops' receive batches (mmsg_linux.go, mmsg_other.go),
// so each loop uses a few and steady-state reads do not allocate.
var batchPool = sync.Pool{New: func() any { return newBatch() }}

// loopSide is the Conn as the event loop sees it: its reactor.FDHandler.
// Its methods run on the loop and never block.
type loopSide Conn

// OnReadable reads datagrams in batches until the socket has no more or
// the queue is full, then wakes one reader and the wait-lists once.
func (l *loopSide) OnReadable(w *reactor.Watcher) {
	c := (*Conn)(l)
	b := batchPool.Get().(*batch)
	defer batchPool.Put(b)
	got := false
	for {
		c.mu.Lock()
		free := len(c.q.ring) - c.q.n
		if c.responder != nil {
			free = batchLen
		}
		if c.q.full(c.limit) {
			c.pauseLocked(w)
			c.mu.Unlock()
			break
		}
		c.mu.Unlock()
		n, err := b.recv(w.FD(), free)
		if err != nil {
			if errors.Is(err, unix.EAGAIN) {
				break
			}
			// A socket error (ICMP port unreachable on a connected
			// socket: ECONNREFUSED...) goes to the next reader; the
			// kernel has cleared it.
			c.mu.Lock()
			c.q.push(packet{err: os.NewSyscallError("recvmsg", err)})
			c.mu.Unlock()
			got = true
			break
		}
		if c.responder != nil {
			c.respond(w.FD(), b, n)
			if n < batchLen {
				break
			}
			continue
		}
		c.mu.Lock()
		for i := 0; i < n; i++ {
			data := b.payload(i)
			p := bufpool.Get(len(data))
			*p = append(*p, data...)
			c.q.push(packet{buf: p, size: b.size(i), from: b.from(i)})
		}
		c.mu.Unlock()
		got = got || n > 0
		if n < min(free, batchLen) {
			break // drained
		}
	}
	if got {
		c.wakeReader()
		c.sig.Notify()
	}
}

// OnWritable wakes every sender waiting for buffer space and turns write
// interest off; a sender that fills the buffer again turns it back on.
func (l *loopSide) OnWritable(w *reactor.Watcher) {
	c := (*Conn)(l)
	c.mu.Lock()
	if c.writable != nil {
		close(c.writable)
		c.writable = nil
	}
	c.writeOn = false
	c.applyInterestLocked(w)
	c.mu.Unlock()
}

// OnClose runs once the loop closed its descriptor, after Close or because
// the reactor stopped; the sending descriptor is closed too, and every
// blocked call wakes.
func (l *loopSide) OnClose(_ *reactor.Watcher, _ error) {
	c := (*Conn)(l)
	c.fdMu.Lock()
	if !c.closed {
		c.closed = true
		_ = unix.Close(c.sfd)
	}
	c.fdMu.Unlock()
	c.mu.Lock()
	c.q.clear()
	c.mu.Unlock()
	c.markDone()
	close(c.released)
}

// wakeReader tells one blocked reader that the queue may hold data; it
// never blocks and does not allocate.
func (c *Conn) wakeReader() {
	select {
	case c.readable <- struct{}{}:
	default:
	}
}

// pauseLocked stops reading from the socket while the queue is full.
func (c *Conn) pauseLocked(w *reactor.Watcher) {
	if c.readOn {
		c.readOn = false
		c.applyInterestLocked(w)
	}
}

// resumeLocked reads again once a reader drained the queue enough.
func (c *Conn) resumeLocked() {
	if !c.readOn && c.q.low(c.limit) {
		c.readOn = true
		c.applyInterestLocked(c.w)
	}
}

// applyInterestLocked hands the wanted interest to the watcher. A failure
// means the reactor is stopping; the socket is then closed by it. w is
// c.w, passed by loop callbacks, which may run before Watch returned.
func (c *Conn) applyInterestLocked(w *reactor.Watcher) {
	_ = w.SetInterest(c.readOn, c.writeOn)
}
