package udp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
)

// tortureDatagram is sender id's datagram number seq, padded by a pattern
// that depends on both, so any corruption is seen.
func tortureDatagram(buf []byte, id uint64, seq uint32, n int) []byte {
	buf = buf[:max(n, 12)]
	binary.BigEndian.PutUint64(buf, id)
	binary.BigEndian.PutUint32(buf[8:], seq)
	for i := 12; i < len(buf); i++ {
		buf[i] = byte(uint64(i)*31 + id + uint64(seq))
	}
	return buf
}

// TestTortureUDP (issue 12): sockets are opened and closed all the time
// (descriptor numbers get reused) while goroutines send, receive, move
// deadlines and close at random, concurrently on the same sockets.
// Invariants: every call returns; every datagram received is intact, from
// a socket that sent it, once, and in the order sent (loopback keeps a
// sender's order); no descriptor is left (goleak checks goroutines).
func TestTortureUDP(t *testing.T) {
	dur, seed := testkit.Torture(t, 6*time.Second, 2*time.Second)
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	r, err := reactor.New(reactor.WithLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dur+30*time.Second)
	defer cancel()
	stop := time.Now().Add(dur)
	var wg sync.WaitGroup
	var rounds atomic.Int64
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for i := uint64(0); time.Now().Before(stop); i++ {
				if err := tortureUDPRound(ctx, r, uint64(w)<<32|i, rng); err != nil {
					t.Errorf("seed %d, worker %d round %d: %v", seed, w, i, err)
					return
				}
				rounds.Add(1)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("seed %d: rounds did not end: a call never returned", seed)
	}
	t.Logf("torture: %d rounds", rounds.Load())
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if left := testkit.FDDiff(before, after); len(left) > 0 {
		t.Errorf("seed %d: descriptors left: %v", seed, left)
	}
}

// tortureUDPRound runs one sink with a few connected senders and a random
// script of concurrent calls.
func tortureUDPRound(ctx context.Context, r *reactor.Reactor, round uint64, rng *rand.Rand) error {
	cfg := Config{Reactor: r, ReadQueueLen: 1 + rng.IntN(64)}
	sink, err := cfg.Listen(ctx, "127.0.0.1", 0)
	if err != nil {
		return fmt.Errorf("Listen: %w", err)
	}
	defer sink.Close()
	senders := 1 + rng.IntN(4)
	each := rng.IntN(300)
	closeEarly := rng.IntN(4) == 0 // the sink is closed under its readers
	readers := 1 + rng.IntN(3)
	conns := make([]*Conn, senders)
	for i := range conns {
		c, err := (&Config{Reactor: r}).Dial(ctx, "127.0.0.1", int(sink.LocalAddrPort().Port()))
		if err != nil {
			return fmt.Errorf("Dial: %w", err)
		}
		defer c.Close()
		conns[i] = c
	}
	var wg sync.WaitGroup
	var sendErr atomic.Pointer[error]
	senderOf := map[netip.AddrPort]uint64{}
	for i, c := range conns {
		senderOf[c.LocalAddrPort()] = round<<8 | uint64(i)
		wg.Add(1)
		go func(id uint64, sizes uint64) {
			defer wg.Done()
			sr := rand.New(rand.NewPCG(sizes, id))
			_ = c.SetWriteDeadline(time.Now().Add(20 * time.Second))
			buf := make([]byte, 2048)
			for seq := range uint32(each) {
				if _, err := c.Write(tortureDatagram(buf, id, seq, sr.IntN(2048))); err != nil {
					// The sink closed early: the kernel reports the ICMP
					// port unreachable of an earlier datagram.
					if !errors.Is(err, net.ErrClosed) && (!closeEarly || !errors.Is(err, syscall.ECONNREFUSED)) {
						sendErr.Store(&err)
					}
					return
				}
			}
		}(round<<8|uint64(i), rng.Uint64())
	}

	// Readers share the sink: each datagram must come once, and with one
	// reader, per sender, in the order sent.
	var mu sync.Mutex
	last := map[uint64]int64{}
	seen := map[[2]uint64]bool{}
	var bad atomic.Pointer[error]
	var got atomic.Int64
	var rwg sync.WaitGroup
	for range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			buf := make([]byte, 4096)
			want := make([]byte, 2048)
			for {
				n, size, from, err := sink.Receive(buf)
				if err != nil {
					if !errors.Is(err, net.ErrClosed) && !isTimeout(err) {
						bad.Store(&err)
					}
					return
				}
				if n != size || n < 12 {
					err := fmt.Errorf("datagram of %d bytes, size %d", n, size)
					bad.Store(&err)
					return
				}
				id, seq := binary.BigEndian.Uint64(buf), binary.BigEndian.Uint32(buf[8:])
				if exp := tortureDatagram(want, id, seq, n); string(exp) != string(buf[:n]) || senderOf[from] != id {
					err := fmt.Errorf("datagram %d/%d from %v corrupt or misattributed", id, seq, from)
					bad.Store(&err)
					return
				}
				mu.Lock()
				prev, seenBefore := last[id]
				dup := seen[[2]uint64{id, uint64(seq)}]
				seen[[2]uint64{id, uint64(seq)}] = true
				last[id] = int64(seq)
				mu.Unlock()
				if dup || (readers == 1 && seenBefore && int64(seq) <= prev) {
					err := fmt.Errorf("sender %x: datagram %d after %d (repeated or reordered)", id, seq, prev)
					bad.Store(&err)
					return
				}
				if got.Add(1) == int64(senders*each) {
					_ = sink.SetReadDeadline(time.Now()) // all here: end the readers
				}
			}
		}()
	}
	// Chaos: deadlines moved under blocked readers, and maybe an early close.
	if rng.IntN(2) == 0 {
		_ = sink.SetReadDeadline(time.Now().Add(time.Duration(rng.IntN(3)) * time.Millisecond))
		_ = sink.SetReadDeadline(time.Time{})
	}
	if closeEarly {
		_ = sink.Close()
	}
	wg.Wait()
	// Datagrams may be dropped (a full queue or socket buffer): bound the
	// readers' wait for the rest, then end them.
	_ = sink.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	rwg.Wait()
	if p := sendErr.Load(); p != nil {
		return fmt.Errorf("Write: %w", *p)
	}
	if p := bad.Load(); p != nil {
		return *p
	}
	return nil
}
