package udp

import (
	"context"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestManySenders sends 100,000 datagrams from 50 connected sockets to one
// unconnected socket. UDP may drop datagrams, so the senders keep at most
// a window in flight; every datagram that arrives must be intact, come from
// the socket that sent it and arrive at most once, and a clear majority
// must arrive.
func TestManySenders(t *testing.T) {
	const (
		senders = 50
		each    = 2000
		total   = senders * each
		window  = 512 // datagrams in flight, all senders together
	)
	ctx := testCtx(t)
	cfg := Config{ReadBuffer: 4 << 20}
	sink, err := cfg.Listen(ctx, "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	var sent, got atomic.Int64
	progress := make(chan struct{}, 1)
	conns := make([]*Conn, senders)
	for i := range conns {
		conns[i] = dial(t, sink.LocalAddrPort())
		deadlineIn(t, conns[i], 20*time.Second)
	}

	var wg sync.WaitGroup
	errc := make(chan error, senders)
	for id, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64+64)
			for seq := range each {
				for sent.Load()-got.Load() >= window {
					if !waitProgress(ctx, progress) {
						break // losses: move on rather than stall
					}
				}
				n := encodeDatagram(buf, id, seq)
				if _, err := c.Write(buf[:n]); err != nil {
					errc <- err
					return
				}
				sent.Add(1)
			}
		}()
	}
	sendersDone := make(chan struct{})
	go func() { wg.Wait(); close(sendersDone) }()

	seen := make([][]bool, senders)
	for i := range seen {
		seen[i] = make([]bool, each)
	}
	buf := make([]byte, 256)
	for got.Load() < total {
		// Once every sender is done, a quiet second ends the count.
		d := 10 * time.Second
		select {
		case <-sendersDone:
			d = time.Second
		default:
		}
		if err := sink.SetReadDeadline(time.Now().Add(d)); err != nil {
			t.Fatal(err)
		}
		n, size, from, err := sink.Receive(buf)
		if err != nil {
			select {
			case <-sendersDone:
			default:
				t.Fatalf("Receive while senders run: %v", err)
			}
			break
		}
		id, seq, ok := decodeDatagram(buf[:n])
		if !ok || size != n {
			t.Fatalf("corrupt datagram: n=%d size=%d % x", n, size, buf[:n])
		}
		if from != conns[id].LocalAddrPort() {
			t.Fatalf("datagram of sender %d came from %v, want %v", id, from, conns[id].LocalAddrPort())
		}
		if seen[id][seq] {
			t.Fatalf("datagram %d/%d received twice", id, seq)
		}
		seen[id][seq] = true
		got.Add(1)
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	<-sendersDone
	close(errc)
	for err := range errc {
		t.Fatalf("sender: %v", err)
	}
	t.Logf("received %d of %d datagrams", got.Load(), total)
	if got.Load() < total*3/4 {
		t.Fatalf("only %d of %d datagrams arrived", got.Load(), total)
	}
}

// waitProgress waits for the receiver to make progress; false after a
// pause without any (datagrams were lost).
func waitProgress(ctx context.Context, progress <-chan struct{}) bool {
	t := time.NewTimer(50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-progress:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// encodeDatagram writes sender id, sequence number and a body whose length
// and bytes derive from both; it returns the length.
func encodeDatagram(b []byte, id, seq int) int {
	binary.BigEndian.PutUint16(b[0:], uint16(id))
	binary.BigEndian.PutUint32(b[2:], uint32(seq))
	n := 6 + (id+seq)%(len(b)-6)
	for i := 6; i < n; i++ {
		b[i] = byte(id*31 + seq*7 + i)
	}
	return n
}

// decodeDatagram checks a datagram made by encodeDatagram.
func decodeDatagram(b []byte) (id, seq int, ok bool) {
	if len(b) < 6 {
		return 0, 0, false
	}
	id = int(binary.BigEndian.Uint16(b[0:]))
	seq = int(binary.BigEndian.Uint32(b[2:]))
	if id >= 50 || seq >= 2000 || len(b) != 6+(id+seq)%(128-6) {
		return 0, 0, false
	}
	for i := 6; i < len(b); i++ {
		if b[i] != byte(id*31+seq*7+i) {
			return 0, 0, false
		}
	}
	return id, seq, true
}
