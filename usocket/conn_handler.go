package usocket

import (
	"github.com/usocket-go/usocket/reactor"
)

// This file is the event-loop side of Conn: the reactor calls these on the
// connection's loop goroutine. They never block.

// onData hands received bytes to a parked Read, or queues them, and stops
// reading from the socket once the queue holds more than the limit.
func (c *Conn) onData(rc *reactor.Conn, data []byte) {
	c.mu.Lock()
	if c.closed || c.rdShut {
		c.mu.Unlock()
		return // nobody will read it
	}
	handed := false
	if c.rwait != nil && c.rgot == 0 && c.rq.len() == 0 {
		c.rgot = copy(c.rwait, data)
		data = data[c.rgot:]
		handed = true
	}
	queued := len(data) > 0
	if queued {
		c.rq.write(data)
		if !c.paused && c.rq.len() > c.limit {
			c.paused = true
			_ = rc.PauseRead() // under c.mu: ordered with Read's ResumeRead
		}
	}
	c.mu.Unlock()
	if handed {
		signal(c.hready)
	}
	if queued {
		c.notifyRead()
	}
}

// onEOF records the peer's FIN; Read returns io.EOF once the buffer is
// drained. Writing stays possible.
func (c *Conn) onEOF() {
	c.mu.Lock()
	c.eof = true
	c.mu.Unlock()
	c.notifyRead()
}

// onClose records that the descriptor is closed and why, and wakes
// everyone.
func (c *Conn) onClose(err error) {
	c.mu.Lock()
	c.gone = true
	c.cause = err
	if err == nil && !c.closed {
		// A clean end we did not ask for with Close: both sides shut down
		// their write side (CloseWrite, then the peer's FIN).
		c.eof = true
	}
	c.mu.Unlock()
	close(c.goneCh)
	c.finish()
}

func (c *Conn) notifyRead() {
	signal(c.rready)
	signal(c.hready)
	c.sig.Notify()
}

// onCheckDrain answers a Write waiting in waitWritable: go on now if the
// reactor does not consider the queue blocked, or else when OnWriteDrained
// comes. Runs on the loop, after the loop has taken the writer's bytes.
func (c *Conn) onCheckDrain() {
	if !c.loopBlocked {
		signal(c.wready)
	}
}

func (c *Conn) onWriteBlocked() { c.loopBlocked = true }

func (c *Conn) onWriteDrained() {
	c.loopBlocked = false
	signal(c.wready)
}

// dialHandler drives a connection made by a Dialer: the handler knows its
// Conn directly.
type dialHandler struct{ c *Conn }

func (h dialHandler) OnOpen(*reactor.Conn)                 {}
func (h dialHandler) OnData(rc *reactor.Conn, data []byte) { h.c.onData(rc, data) }
func (h dialHandler) OnEOF(*reactor.Conn)                  { h.c.onEOF() }
func (h dialHandler) OnClose(_ *reactor.Conn, err error)   { h.c.onClose(err) }
func (h dialHandler) OnWriteBlocked(*reactor.Conn)         { h.c.onWriteBlocked() }
func (h dialHandler) OnWriteDrained(*reactor.Conn)         { h.c.onWriteDrained() }

// acceptHandler drives the connections of a Listener: each one's Conn is
// made in OnOpen and kept as the reactor connection's context.
type acceptHandler struct{ l *Listener }

func (h acceptHandler) OnOpen(rc *reactor.Conn) {
	c := newConn(rc.RemoteAddrPort(), h.l.readLimit)
	c.rc = rc
	c.localAddr() // cache it: errors name both ends
	rc.SetContext(c)
	h.l.enqueue(c)
}

func (h acceptHandler) OnData(rc *reactor.Conn, data []byte) { connOf(rc).onData(rc, data) }
func (h acceptHandler) OnEOF(rc *reactor.Conn)               { connOf(rc).onEOF() }
func (h acceptHandler) OnWriteBlocked(rc *reactor.Conn)      { connOf(rc).onWriteBlocked() }
func (h acceptHandler) OnWriteDrained(rc *reactor.Conn)      { connOf(rc).onWriteDrained() }

func (h acceptHandler) OnClose(rc *reactor.Conn, err error) {
	if c := connOf(rc); c != nil {
		c.onClose(err)
	}
}

// connOf returns the Conn made for rc in OnOpen; nil only if OnOpen never
// ran (the reactor failed to register the descriptor).
func connOf(rc *reactor.Conn) *Conn {
	c, _ := rc.Context().(*Conn)
	return c
}

var (
	_ reactor.Handler       = dialHandler{}
	_ reactor.WriteNotifier = dialHandler{}
	_ reactor.Handler       = acceptHandler{}
	_ reactor.WriteNotifier = acceptHandler{}
)
