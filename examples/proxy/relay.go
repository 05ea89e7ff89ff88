package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// side is one connection of a proxied pair, and its handler: what it reads
// it writes to its peer.
type side struct {
	reactor.BaseHandler
	p    *proxy
	conn atomic.Pointer[reactor.Conn] // this side, once known
	peer atomic.Pointer[reactor.Conn] // the other side, once connected
}

var _ reactor.WriteNotifier = (*side)(nil)

// OnOpen records the connection; an accepted one waits, paused, while its
// upstream connection is dialled.
func (s *side) OnOpen(c *reactor.Conn) {
	s.conn.Store(c)
	s.p.track(s, true)
	if s.peer.Load() == nil {
		_ = c.PauseRead()
		s.p.dial(s)
	}
}

// OnData passes the bytes on. The peer is set before reading starts.
func (s *side) OnData(_ *reactor.Conn, data []byte) {
	if p := s.peer.Load(); p != nil {
		_, _ = p.Write(data)
	}
}

// OnEOF passes the half-close on: the peer gets a FIN once what is queued
// for it is sent. This side stays writable for the other direction.
func (s *side) OnEOF(*reactor.Conn) {
	if p := s.peer.Load(); p != nil {
		_ = p.CloseWrite()
	}
}

// OnWriteBlocked: this side's queue is full, so its producer (the peer)
// stops reading, and TCP holds the peer's sender back.
func (s *side) OnWriteBlocked(*reactor.Conn) {
	if p := s.peer.Load(); p != nil {
		_ = p.PauseRead()
	}
}

// OnWriteDrained lets the producer read again.
func (s *side) OnWriteDrained(*reactor.Conn) {
	if p := s.peer.Load(); p != nil {
		_ = p.ResumeRead()
	}
}

// OnClose ends the pair: after an error (a reset, a timeout) the peer is
// aborted; after a clean close it closes gracefully, flushing first.
func (s *side) OnClose(_ *reactor.Conn, err error) {
	s.p.track(s, false)
	p := s.peer.Load()
	switch {
	case p == nil:
	case err != nil:
		_ = p.Abort()
	default:
		_ = p.Close()
	}
}

// proxy accepts connections and pairs each with a dialled upstream one.
type proxy struct {
	r           *reactor.Reactor
	to          string
	dialTimeout time.Duration
	report      func(error)

	ctx      context.Context // ends when the proxy stops: cancels dials
	cancel   context.CancelFunc
	wg       sync.WaitGroup // dialling goroutines
	mu       sync.Mutex
	stopping bool               // no new dials
	live     map[*side]struct{} // open sides, for queued()
}

// inbound is the listener's handler: each accepted connection gets its own
// side, stored as the connection's context.
type inbound struct{ p *proxy }

var _ reactor.WriteNotifier = inbound{}

func (in inbound) side(c *reactor.Conn) *side { return c.Context().(*side) }

func (in inbound) OnOpen(c *reactor.Conn) {
	s := &side{p: in.p}
	c.SetContext(s)
	s.OnOpen(c)
}
func (in inbound) OnData(c *reactor.Conn, b []byte) { in.side(c).OnData(c, b) }
func (in inbound) OnEOF(c *reactor.Conn)            { in.side(c).OnEOF(c) }
func (in inbound) OnClose(c *reactor.Conn, e error) { in.side(c).OnClose(c, e) }
func (in inbound) OnWriteBlocked(c *reactor.Conn)   { in.side(c).OnWriteBlocked(c) }
func (in inbound) OnWriteDrained(c *reactor.Conn)   { in.side(c).OnWriteDrained(c) }

// dial connects client's upstream off the loop, then links the two and
// lets the client be read.
func (p *proxy) dial(client *side) {
	p.mu.Lock()
	if p.stopping {
		p.mu.Unlock()
		_ = client.conn.Load().Abort()
		return
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(p.ctx, p.dialTimeout)
		defer cancel()
		c := client.conn.Load()
		up := &side{p: p}
		up.peer.Store(c)
		uc, err := p.r.Dial(ctx, "tcp", p.to, up)
		if err != nil {
			p.report(err)
			_ = c.Abort()
			return
		}
		client.peer.Store(uc)
		if err := c.ResumeRead(); err != nil { // the client left meanwhile
			_ = uc.Abort()
		}
	}()
}

// track adds or removes an open side.
func (p *proxy) track(s *side, open bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if open {
		p.live[s] = struct{}{}
	} else {
		delete(p.live, s)
	}
}

// queued is the total of bytes waiting in the proxy's outbound queues.
func (p *proxy) queued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for s := range p.live {
		if c := s.conn.Load(); c != nil {
			n += c.Buffered()
		}
	}
	return n
}
