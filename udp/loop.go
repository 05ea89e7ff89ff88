package udp

import (
	"os"

	"github.com/usocket-go/usocket/internal/unix"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/reactor"
)

// loopSide is the socket as the event loop sees it: its reactor.FDHandler
// (an edge watcher). Its methods run on the loop and never block.
type loopSide conn

// OnReadable reads datagrams in batches until the socket has no more or
// the queue is full, then wakes the readers and the wait-lists once. While
// the queue is full it reads nothing; the reader that drains it asks the
// loop to read again (resume), since no new edge may come.
func (l *loopSide) OnReadable(*reactor.Watcher) {
	c := (*conn)(l)
	if !c.fd.Acquire() {
		return // closing: the descriptor may be gone
	}
	defer c.fd.Release()
	b := batchPool.Get().(*batch)
	defer batchPool.Put(b)
	got, errs := false, 0
	for round := 0; ; round++ {
		if round == maxBatches {
			// Bound the round so the loop serves others; read on later.
			_ = c.w.Execute(c.readAgain)
			break
		}
		c.mu.Lock()
		free := len(c.q.ring) - c.q.n
		if c.responder != nil {
			free = batchLen
		} else if c.q.full(c.limit) {
			c.paused = true
			c.mu.Unlock()
			break
		}
		c.mu.Unlock()
		n, err := b.recv(c.fd.Sysfd, free)
		if err != nil {
			if err == unix.EAGAIN {
				break
			}
			// A socket error (ICMP port unreachable on a connected
			// socket: ECONNREFUSED...) goes to the next reader; the
			// kernel has cleared it.
			if c.responder == nil {
				c.mu.Lock()
				if !c.q.full(c.limit) {
					c.q.push(packet{err: os.NewSyscallError("recvmsg", err)})
				}
				c.mu.Unlock()
				got = true
			}
			if errs++; errs == batchLen {
				break // not a one-off socket error: give up this round
			}
			continue // more may be waiting: read until EAGAIN (edge-triggered)
		}
		if c.responder != nil {
			c.fd.RunUser(func(fd int) { c.respond(fd, b, n) })
			if n < batchLen {
				break // drained: new datagrams bring a new edge
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
			break // drained: new datagrams bring a new edge
		}
	}
	if got {
		c.rd.Notify()
		c.sig.Notify()
	}
}

// OnWritable wakes every sender waiting for buffer space.
func (l *loopSide) OnWritable(*reactor.Watcher) { l.wr.Notify() }

// OnClose runs once the loop unregistered the socket, after Close or
// because the reactor stopped; then every blocked call wakes, and the last
// one out closes the descriptor.
func (l *loopSide) OnClose(*reactor.Watcher, error) {
	c := (*conn)(l)
	c.markDone()
	c.fd.StartClose()
}

// maxBatches bounds the recvmmsg calls of one OnReadable, so that a flood
// on one socket does not keep its loop from the others.
const maxBatches = 64

// resumeLocked asks the loop to read again once a reader drained a full
// queue enough. A failure means the reactor is stopping; the socket is
// then closed by it.
func (c *conn) resumeLocked() {
	if c.paused && c.q.low(c.limit) {
		c.paused = false
		_ = c.w.Execute(c.readAgain)
	}
}

// readAgain runs on the loop after a resume.
func (c *conn) readAgain() { (*loopSide)(c).OnReadable(nil) }
