package faults

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// ProxyConfig says which faults a Proxy injects. The zero value forwards
// faithfully.
type ProxyConfig struct {
	// Delay holds every chunk this long before forwarding it (with
	// ByteAtATime, every byte).
	Delay time.Duration
	// ByteAtATime forwards one byte per write, so the far end sees the
	// stream in one-byte segments.
	ByteAtATime bool
	// CutMin and CutMax, when CutMax > CutMin, cut every connection once
	// n bytes have gone through it (both directions counted), with n drawn
	// from [CutMin, CutMax) by a PRNG seeded with Seed and the connection's
	// number: both ends then get a reset (RST).
	CutMin, CutMax int64
	// Seed seeds the cut points, so a run can be repeated.
	Seed uint64
	// DialTimeout bounds the connect to the target; 0 means 10 s.
	DialTimeout time.Duration
}

// Proxy is a TCP proxy on a loopback ephemeral port that forwards each
// accepted connection to a target and injects the faults of its
// ProxyConfig. A FIN from either end is passed on as a FIN (CloseWrite), a
// reset as a reset. Stall holds all traffic until Resume. Close stops
// everything and waits for the proxy's goroutines. Its methods are safe for
// concurrent use.
type Proxy struct {
	target string
	cfg    ProxyConfig
	ln     net.Listener
	wg     sync.WaitGroup

	mu     sync.Mutex
	gate   chan struct{} // closed while traffic flows; open while stalled
	links  map[*link]struct{}
	n      uint64 // connections accepted
	cuts   int
	closed bool
}

// NewProxy listens on 127.0.0.1 and forwards to target ("host:port").
func NewProxy(ctx context.Context, target string, cfg ProxyConfig) (*Proxy, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 10 * time.Second
	}
	gate := make(chan struct{})
	close(gate)
	p := &Proxy{target: target, cfg: cfg, ln: ln, gate: gate, links: map[*link]struct{}{}}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// Addr returns the address clients connect to.
func (p *Proxy) Addr() net.Addr { return p.ln.Addr() }

// Stall holds all traffic, in both directions and on every connection,
// until Resume.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if isClosedChan(p.gate) {
		p.gate = make(chan struct{})
	}
}

// Resume lets traffic flow again after Stall.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !isClosedChan(p.gate) {
		close(p.gate)
	}
}

// Cuts reports how many connections the proxy has cut.
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Close stops accepting, resets every connection still open and waits for
// the proxy's goroutines to end.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return net.ErrClosed
	}
	p.closed = true
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	for _, l := range links {
		l.abort()
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed: Close is the only way out
		}
		s, err := net.DialTimeout("tcp", p.target, p.cfg.DialTimeout)
		if err != nil {
			abortConn(c)
			continue
		}
		l := p.newLink(c.(*net.TCPConn), s.(*net.TCPConn))
		if l == nil {
			abortConn(c)
			abortConn(s)
			return
		}
		p.wg.Add(2)
		go l.pump(l.client, l.server)
		go l.pump(l.server, l.client)
	}
}

// newLink registers a connection pair, or returns nil after Close.
func (p *Proxy) newLink(c, s *net.TCPConn) *link {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.n++
	l := &link{p: p, client: c, server: s, done: make(chan struct{}), cutAt: -1}
	if p.cfg.CutMax > p.cfg.CutMin {
		rng := rand.New(rand.NewPCG(p.cfg.Seed, p.n))
		l.cutAt = p.cfg.CutMin + rng.Int64N(p.cfg.CutMax-p.cfg.CutMin)
	}
	l.ends = 2
	p.links[l] = struct{}{}
	return l
}

func (p *Proxy) currentGate() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gate
}

// link is one proxied connection: the accepted client side and the dialled
// server side.
type link struct {
	p              *Proxy
	client, server *net.TCPConn
	done           chan struct{} // closed when the link is aborted

	mu      sync.Mutex
	sent    int64 // bytes forwarded, both directions
	cutAt   int64 // cut after this many bytes; -1: never
	ends    int   // pumps still running
	aborted bool
}

// pump copies from src to dst, injecting the configured faults.
func (l *link) pump(src, dst *net.TCPConn) {
	defer l.p.wg.Done()
	defer l.pumpDone()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.forward(dst, buf[:n]) {
			return
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return // aborted
			}
			if n == 0 && errors.Is(err, io.EOF) {
				_ = dst.CloseWrite() // pass the FIN on
				return
			}
			l.abort() // a reset (or worse) from src: reset dst too
			return
		}
	}
}

// forward writes b to dst after the delay and the gate, cutting the link
// at its cut point; it reports whether the pump should go on.
func (l *link) forward(dst *net.TCPConn, b []byte) bool {
	if !l.wait() {
		return false
	}
	b, cut, over := l.budget(b)
	if over {
		l.abort()
		return false
	}
	if cut { // counted now: the other direction may abort the link before b is written
		l.p.mu.Lock()
		l.p.cuts++
		l.p.mu.Unlock()
	}
	step := len(b)
	if l.p.cfg.ByteAtATime {
		step = 1
	}
	for len(b) > 0 {
		k := min(step, len(b))
		if _, err := dst.Write(b[:k]); err != nil {
			l.abort()
			return false
		}
		b = b[k:]
		if len(b) > 0 && step == 1 && !l.wait() {
			return false
		}
	}
	if cut {
		l.abort()
		return false
	}
	return true
}

// budget trims b to what may pass before the cut point and counts it.
// cut is true for the chunk that reaches the cut point; over is true when
// the other direction reached it first (nothing may pass).
func (l *link) budget(b []byte) (pass []byte, cut, over bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.cutAt < 0:
	case l.sent >= l.cutAt:
		return nil, false, true
	case l.sent+int64(len(b)) >= l.cutAt:
		b = b[:l.cutAt-l.sent]
		l.sent = l.cutAt
		return b, true, false
	}
	l.sent += int64(len(b))
	return b, false, false
}

// wait holds a chunk for the delay and while the proxy is stalled; false
// means the link was aborted meanwhile.
func (l *link) wait() bool {
	if d := l.p.cfg.Delay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-l.done:
			t.Stop()
			return false
		}
	}
	select {
	case <-l.p.currentGate():
		return true
	case <-l.done:
		return false
	}
}

// pumpDone closes both ends once neither direction runs any more.
func (l *link) pumpDone() {
	l.mu.Lock()
	l.ends--
	last := l.ends == 0
	l.mu.Unlock()
	if !last {
		return
	}
	_ = l.client.Close()
	_ = l.server.Close()
	l.p.mu.Lock()
	delete(l.p.links, l)
	l.p.mu.Unlock()
}

// abort resets both ends (SO_LINGER 0) and wakes both pumps.
func (l *link) abort() {
	l.mu.Lock()
	if l.aborted {
		l.mu.Unlock()
		return
	}
	l.aborted = true
	close(l.done)
	l.mu.Unlock()
	abortConn(l.client)
	abortConn(l.server)
}

// abortConn closes c with an RST.
func abortConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

func isClosedChan(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
