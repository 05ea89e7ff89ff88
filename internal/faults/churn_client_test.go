package faults

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// The churn client: reactor connections (no goroutine each, which the race
// detector's goroutine limit would forbid at 19,000) that exchange
// messages with the echo server, fed by a few dialling goroutines.

const (
	churnDialers = 16
	churnRounds  = 2  // exchanges per connection once churning
	churnMsg     = 64 // bytes per message
)

type churnPhase int32

const (
	phaseOpen  churnPhase = iota // open churnConns and hold them
	phaseChurn                   // close after churnRounds and replace
	phaseDrain                   // close after churnRounds, no replacement
)

type churner struct {
	r     *reactor.Reactor
	addrs []string
	dials chan int
	stop  chan struct{}
	wg    sync.WaitGroup
	phase atomic.Int32

	live   atomic.Int64 // connections dialled or being dialled and not closed
	peak   atomic.Int64
	held   atomic.Int64 // connections parked after their first exchange
	heldAt chan struct{}
	gone   chan struct{} // a connection closed while draining
	failed chan error    // first failure

	dialled, exchanges, mismatches, closeErrs atomic.Int64

	mu     sync.Mutex
	parked []*churnClient
}

func newChurner(addrs []string) (*churner, error) {
	ch := &churner{
		addrs:  addrs,
		dials:  make(chan int, churnConns),
		stop:   make(chan struct{}),
		heldAt: make(chan struct{}),
		gone:   make(chan struct{}, 1),
		failed: make(chan error, 1),
	}
	r, err := reactor.New(reactor.WithLoops(2), reactor.WithErrorHook(ch.fail))
	if err != nil {
		return nil, err
	}
	ch.r = r
	return ch, nil
}

func (ch *churner) fail(err error) {
	select {
	case ch.failed <- err:
	default:
	}
}

func (ch *churner) run() error {
	limit := time.NewTimer(90 * time.Second)
	defer limit.Stop()
	ch.wg.Add(churnDialers)
	for range churnDialers {
		go ch.dialer()
	}
	defer func() {
		close(ch.stop)
		ch.wg.Wait()
	}()
	start := time.Now()
	for id := range churnConns {
		ch.dials <- id
	}
	select {
	case <-ch.heldAt:
	case err := <-ch.failed:
		return fmt.Errorf("opening: %w", err)
	case <-limit.C:
		return fmt.Errorf("only %d of %d connections open in time", ch.held.Load(), churnConns)
	}
	fmt.Printf("churn-clients child: %d connections open after %v\n", ch.live.Load(), time.Since(start).Round(time.Millisecond))

	// Churn: every connection does churnRounds more exchanges, closes, and
	// is replaced, until churnFor has passed.
	ch.phase.Store(int32(phaseChurn))
	ch.mu.Lock()
	parked := ch.parked
	ch.parked = nil
	ch.mu.Unlock()
	for _, cl := range parked {
		if err := cl.c.Execute(func() { cl.rounds = churnRounds; cl.send() }); err != nil {
			return fmt.Errorf("kick: %w", err)
		}
	}
	churnEnd := time.NewTimer(churnFor)
	defer churnEnd.Stop()
	select {
	case <-churnEnd.C:
	case err := <-ch.failed:
		return fmt.Errorf("churning: %w", err)
	}
	ch.phase.Store(int32(phaseDrain))
	for ch.live.Load() > 0 {
		select {
		case <-ch.gone:
		case err := <-ch.failed:
			return fmt.Errorf("draining: %w", err)
		case <-limit.C:
			return fmt.Errorf("%d connections still open after the churn", ch.live.Load())
		}
	}
	if m := ch.mismatches.Load(); m > 0 {
		return fmt.Errorf("%d echoes differed from what was sent", m)
	}
	if e := ch.closeErrs.Load(); e > 0 {
		return fmt.Errorf("%d connections ended with an error", e)
	}
	return nil
}

func (ch *churner) dialer() {
	defer ch.wg.Done()
	for {
		select {
		case <-ch.stop:
			return
		case id := <-ch.dials:
			if churnPhase(ch.phase.Load()) == phaseDrain {
				continue
			}
			ch.dial(id)
		}
	}
}

func (ch *churner) dial(id int) {
	n := ch.live.Add(1)
	for p := ch.peak.Load(); n > p && !ch.peak.CompareAndSwap(p, n); p = ch.peak.Load() {
	}
	cl := &churnClient{ch: ch, id: uint64(id), rounds: churnRounds}
	if churnPhase(ch.phase.Load()) == phaseOpen {
		cl.hold = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := ch.r.Dial(ctx, "tcp4", ch.addrs[id%len(ch.addrs)], cl); err != nil {
		ch.live.Add(-1)
		ch.fail(fmt.Errorf("dial %d: %w", id, err))
		return
	}
	ch.dialled.Add(1)
}

// closed is called from a connection's OnClose.
func (ch *churner) closed(id uint64) {
	ch.live.Add(-1)
	switch churnPhase(ch.phase.Load()) {
	case phaseChurn:
		select {
		case ch.dials <- int(id) + churnConns: // a new connection, a new id
		default:
			ch.fail(errors.New("dial queue full"))
		}
	case phaseDrain:
		select {
		case ch.gone <- struct{}{}:
		default:
		}
	}
}

// churnClient is one connection's handler; its fields are owned by the
// connection's loop.
type churnClient struct {
	ch     *churner
	c      *reactor.Conn
	id     uint64
	seq    uint64
	rounds int
	hold   bool // park after the first exchange (phaseOpen)
	shut   bool // we sent our FIN
	want   [churnMsg]byte
	got    []byte
}

func (cl *churnClient) OnOpen(c *reactor.Conn) {
	cl.c = c
	cl.send()
}

func (cl *churnClient) send() {
	binary.BigEndian.PutUint64(cl.want[0:], cl.id)
	binary.BigEndian.PutUint64(cl.want[8:], cl.seq)
	for i := 16; i < churnMsg; i++ {
		cl.want[i] = byte(cl.id*31 + cl.seq*7 + uint64(i))
	}
	cl.got = cl.got[:0]
	if _, err := cl.c.Write(cl.want[:]); err != nil {
		cl.ch.fail(fmt.Errorf("write %d: %w", cl.id, err))
	}
}

func (cl *churnClient) OnData(c *reactor.Conn, b []byte) {
	cl.got = append(cl.got, b...)
	if len(cl.got) < churnMsg {
		return
	}
	if len(cl.got) > churnMsg || !bytes.Equal(cl.got, cl.want[:]) {
		cl.ch.mismatches.Add(1)
		_ = c.Abort()
		return
	}
	cl.ch.exchanges.Add(1)
	cl.seq++
	if cl.hold {
		cl.hold = false
		cl.ch.mu.Lock()
		cl.ch.parked = append(cl.ch.parked, cl)
		cl.ch.mu.Unlock()
		if cl.ch.held.Add(1) == churnConns {
			close(cl.ch.heldAt)
		}
		return
	}
	if cl.rounds--; cl.rounds > 0 {
		cl.send()
		return
	}
	cl.shut = true
	_ = c.CloseWrite() // the echo server closes on our EOF; then so do we
}

func (cl *churnClient) OnEOF(c *reactor.Conn) {
	if !cl.shut {
		cl.ch.fail(fmt.Errorf("connection %d: server closed first", cl.id))
		_ = c.Close()
	}
}

func (cl *churnClient) OnClose(_ *reactor.Conn, err error) {
	if err != nil {
		cl.ch.closeErrs.Add(1)
		cl.ch.fail(fmt.Errorf("connection %d closed: %w", cl.id, err))
	}
	cl.ch.closed(cl.id)
}
