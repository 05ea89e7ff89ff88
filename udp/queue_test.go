package udp

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/usocket-go/usocket/waitlist"
)

// TestBackpressure sends more datagrams than the read queue holds before
// anyone reads: the loop must stop reading at the limit, leave the rest in
// the kernel's buffer, and resume as the reader drains, so that all arrive
// in order.
func TestBackpressure(t *testing.T) {
	const limit, count = 4, 60
	cfg := Config{ReadQueueLen: limit, ReadBuffer: 1 << 20}
	sink, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	src := dial(t, sink.LocalAddrPort())
	var b [4]byte
	for i := range count {
		binary.BigEndian.PutUint32(b[:], uint32(i))
		if _, err := src.Write(b[:]); err != nil {
			t.Fatal(err)
		}
	}
	// Wait (bounded) until the loop has filled the queue and paused.
	deadline := time.Now().Add(10 * time.Second)
	for {
		sink.mu.Lock()
		n, reading := sink.q.len(), !sink.paused
		sink.mu.Unlock()
		if n > limit {
			t.Fatalf("queue holds %d datagrams, limit %d", n, limit)
		}
		if n == limit && !reading {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue never filled: len %d, reading %v", n, reading)
		}
		if _, err := waitlist.Wait(testCtx(t), 10*time.Millisecond, sink); err != nil && !isTimeout(err) {
			t.Fatal(err)
		}
	}
	deadlineIn(t, sink, 10*time.Second)
	for i := range count {
		n, _, _, err := sink.Receive(b[:])
		if err != nil {
			t.Fatalf("Receive %d: %v", i, err)
		}
		if got := binary.BigEndian.Uint32(b[:n]); got != uint32(i) {
			t.Fatalf("datagram %d carries %d", i, got)
		}
	}
}

func isTimeout(err error) bool {
	te, ok := err.(interface{ Timeout() bool })
	return ok && te.Timeout()
}

func TestWaitlist(t *testing.T) {
	a, b := listen(t, "127.0.0.1"), listen(t, "127.0.0.1")
	ctx := testCtx(t)
	ready, err := waitlist.Wait(ctx, 0, a, b)
	if len(ready) != 0 || err == nil {
		t.Fatalf("poll of idle sockets = %v, %v; want none and a timeout", ready, err)
	}
	if _, err := a.Send([]byte("to b"), b.LocalAddrPort()); err != nil {
		t.Fatal(err)
	}
	ready, err = waitlist.Wait(ctx, 10*time.Second, a, b)
	if err != nil || len(ready) != 1 || ready[0] != waitlist.Source(b) {
		t.Fatalf("Wait = %v, %v; want [b]", ready, err)
	}
	if waitlist.StateOf(b) != waitlist.StateRead || waitlist.StateOf(a) != 0 {
		t.Fatalf("StateOf: a %v, b %v", waitlist.StateOf(a), waitlist.StateOf(b))
	}
	if _, _, _, err := b.Receive(make([]byte, 8)); err != nil {
		t.Fatal(err)
	}
	if b.Ready() {
		t.Fatal("b still Ready after its only datagram was read")
	}
}

func TestBroadcastOption(t *testing.T) {
	c := listen(t, "127.0.0.1")
	if on, err := c.Broadcast(); err != nil || on {
		t.Fatalf("Broadcast() = %v, %v; want off by default", on, err)
	}
	if err := c.SetBroadcast(true); err != nil {
		t.Fatal(err)
	}
	if on, err := c.Broadcast(); err != nil || !on {
		t.Fatalf("Broadcast() after SetBroadcast(true) = %v, %v", on, err)
	}
	cfg := Config{Broadcast: true}
	d, err := cfg.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if on, err := d.Broadcast(); err != nil || !on {
		t.Fatalf("Config.Broadcast: Broadcast() = %v, %v", on, err)
	}
	if err := d.SetReadBuffer(1 << 16); err != nil {
		t.Fatal(err)
	}
	if err := d.SetWriteBuffer(1 << 16); err != nil {
		t.Fatal(err)
	}
	var fd uintptr
	if err := d.Control(func(f uintptr) { fd = f }); err != nil || fd == 0 {
		t.Fatalf("Control: fd %d, %v", fd, err)
	}
}

// TestConcurrentReceivers checks that several goroutines receiving from one
// socket each get whole datagrams and together get each one once.
func TestConcurrentReceivers(t *testing.T) {
	const readers, count = 4, 400
	sink, err := (&Config{ReadBuffer: 1 << 20}).Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	src := dial(t, sink.LocalAddrPort())
	deadlineIn(t, sink, 10*time.Second)
	got := make(chan int, count)
	done := make(chan struct{})
	for range readers {
		go func() {
			defer func() { done <- struct{}{} }()
			b := make([]byte, 8)
			for {
				n, size, _, err := sink.Receive(b)
				if err != nil {
					return
				}
				if n != 4 || size != 4 {
					t.Errorf("datagram of %d/%d bytes", n, size)
					return
				}
				got <- int(binary.BigEndian.Uint32(b))
			}
		}()
	}
	var b [4]byte
	for i := range count {
		binary.BigEndian.PutUint32(b[:], uint32(i))
		if _, err := src.Write(b[:]); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[int]bool)
	timeout := time.After(10 * time.Second)
	for len(seen) < count {
		select {
		case v := <-got:
			if seen[v] {
				t.Fatalf("datagram %d received twice", v)
			}
			seen[v] = true
		case <-timeout:
			t.Fatalf("received %d of %d datagrams", len(seen), count)
		}
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	for range readers {
		<-done
	}
}
