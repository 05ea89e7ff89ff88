//go:build unix

package faults

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// A never-reading crowd: a thousand peers flood the stock echo handler and
// read nothing back. The reactor's memory limit must hold what it queues
// for all of them together near the limit (the per-connection high-water
// mark alone would let each queue 256 KiB), and a normal client must still
// get its echo.

const (
	crowdPeers = 1000
	crowdFlood = 128 << 10 // each peer writes this much, or until slowFor
	crowdLimit = 8 << 20
	// crowdSlack is what the limit lets through beyond itself: per loop,
	// 64 KiB not yet counted and one 64 KiB read; per connection, two 4 KiB
	// reads.
	crowdSlack = 2*(64<<10+64<<10) + crowdPeers*2*(4<<10)
)

// smallBufEcho is the stock echo handler on sockets whose kernel buffers
// are small, so that what a peer does not read piles up in the reactor.
type smallBufEcho struct{ handler.Echo }

func (smallBufEcho) OnOpen(c *reactor.Conn) {
	_ = c.Control(func(fd uintptr) { setSmallBuf(fd, unix.SO_SNDBUF) })
}

func setSmallBuf(fd uintptr, opt int) { _ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, 4<<10) }

func TestNeverReadingCrowdHeldByMemoryLimit(t *testing.T) {
	reported := make(chan error, 16)
	r := newReactor(t, reactor.WithMemoryLimit(crowdLimit), reactor.WithErrorHook(func(err error) {
		select {
		case reported <- err:
		default:
		}
	}))
	ln := reactorListen(t, r, smallBufEcho{})
	small := func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { setSmallBuf(fd, unix.SO_RCVBUF) })
	}
	d := net.Dialer{Timeout: testTimeout, Control: small}
	payload := bytes.Repeat([]byte{'c'}, crowdFlood)
	var floods sync.WaitGroup
	peers := make([]net.Conn, 0, crowdPeers)
	t.Cleanup(func() {
		for _, c := range peers {
			_ = c.Close()
		}
		floods.Wait()
	})
	for range crowdPeers {
		c, err := d.Dial("tcp4", ln.Addr().String())
		if err != nil {
			t.Fatalf("dial peer %d: %v", len(peers), err)
		}
		peers = append(peers, c)
		_ = c.SetWriteDeadline(time.Now().Add(slowFor))
		floods.Add(1)
		go func() {
			defer floods.Done()
			_, _ = c.Write(payload)
		}()
	}

	// A normal client is served while the crowd floods.
	c, err := net.DialTimeout("tcp4", ln.Addr().String(), testTimeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	msg := bytes.Repeat([]byte("normal "), 64<<10/7)
	go func() { _, _ = c.Write(msg) }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("normal client's echo: %v", err)
	}

	floods.Wait() // every flood ended: all written, or held back until slowFor
	st := r.MemoryStats()
	t.Logf("crowd of %d never-reading peers: %+v", crowdPeers, st)
	if bound := int64(crowdLimit + crowdSlack); st.Queued > bound || st.Peak > bound {
		t.Fatalf("queued %d, peak %d: over the limit %d plus slack %d", st.Queued, st.Peak, crowdLimit, crowdSlack)
	}
	if st.Overs == 0 || st.Pauses == 0 {
		t.Fatalf("stats %+v: want the limit passed and connections paused", st)
	}
	select {
	case err := <-reported:
		if !errors.Is(err, reactor.ErrMemoryLimit) {
			t.Fatalf("error hook got %v, want ErrMemoryLimit", err)
		}
	default:
		t.Fatal("the error hook heard nothing of the memory limit")
	}
}
