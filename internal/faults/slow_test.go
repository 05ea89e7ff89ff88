package faults

import (
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
)

// Slow peers at 1 GiB: a peer that writes 1 GiB into a connection nobody
// reads, and a writer that sends 1 GiB to a peer that reads slowly. Both
// are bounded by a write deadline; the heap must not grow by more than
// heapBound, and what was delivered must be exact.

const (
	slowTotal   = 1 << 30
	slowFor     = 2 * time.Second
	heapBound   = 16 << 20
	slowChunk   = 64 << 10
	trickleRead = 16 << 10 // bytes a slow reader takes per tick
	trickleTick = time.Millisecond
)

// flood writes the stream to w until slowTotal bytes or the write deadline
// slowFor from now, and returns how much it wrote and the error.
func flood(c *net.TCPConn, src *stream) (int64, error) {
	if err := c.SetWriteDeadline(time.Now().Add(slowFor)); err != nil {
		return 0, err
	}
	defer c.SetWriteDeadline(time.Now().Add(testTimeout))
	chunk := make([]byte, slowChunk)
	var off int64
	for off < slowTotal {
		src.fill(chunk, off)
		n, err := c.Write(chunk)
		off += int64(n)
		if err != nil {
			return off, err
		}
	}
	return off, nil
}

// checkFloodStopped checks that a flood ended by its deadline, that is,
// backpressure held it.
func checkFloodStopped(t *testing.T, sent int64, err error) {
	t.Helper()
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("peer wrote %d bytes into an unread connection; err %v, want its write deadline", sent, err)
	}
	t.Logf("peer wrote %d bytes before backpressure held it for %v", sent, slowFor)
}

func checkHeap(t *testing.T, base int64, what string) {
	t.Helper()
	grown := heapInUse() - base
	t.Logf("%s: heap grew by %d bytes", what, grown)
	if grown > heapBound {
		t.Errorf("%s: heap grew by %d bytes, want at most %d", what, grown, heapBound)
	}
}

// readStream reads r to EOF, checking it against src from offset 0, and
// returns the count. While slow is open it reads trickleRead bytes per tick.
func readStream(r io.Reader, src *stream, slow <-chan struct{}) (int64, error) {
	tick := time.NewTicker(trickleTick)
	defer tick.Stop()
	buf := make([]byte, 1<<20)
	var off int64
	for {
		p := buf
		select {
		case <-slow:
		default:
			select {
			case <-tick.C:
				p = buf[:trickleRead]
			case <-slow:
			}
		}
		n, err := r.Read(p)
		if m := src.mismatch(p[:n], off); m >= 0 {
			return off, errors.New("stream corrupted at byte " + strconv.FormatInt(m, 10))
		}
		off += int64(n)
		if err == io.EOF { //nolint:errorlint // the bare io.EOF by contract
			return off, nil
		}
		if err != nil {
			return off, err
		}
	}
}

// TestFacadeSlowReaderBounded: the peer floods an accepted Conn that is not
// read; the facade stops reading from the socket (TCP holds the peer
// back), memory stays bounded, and reading later yields exactly what was
// sent.
func TestFacadeSlowReaderBounded(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(10)
	base := heapInUse()
	sent, err := flood(peer, src)
	checkFloodStopped(t, sent, err)
	checkHeap(t, base, "unread facade Conn")
	if err := peer.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := readStream(c, src, closedChan)
	if err != nil || got != sent {
		t.Fatalf("read %d of %d bytes: %v", got, sent, err)
	}
}

// TestReactorSlowReaderBounded: the same with a reactor Conn paused from
// OnOpen and resumed after the flood.
func TestReactorSlowReaderBounded(t *testing.T) {
	r := newReactor(t)
	src := newStream(12)
	opened := make(chan *reactor.Conn, 1)
	type result struct {
		n   int64
		bad int64
	}
	done := make(chan result, 1)
	var n int64
	bad := int64(-1)
	h := &funcs{
		open: func(c *reactor.Conn) {
			_ = c.PauseRead()
			opened <- c
		},
		data: func(c *reactor.Conn, b []byte) {
			if m := src.mismatch(b, n); m >= 0 && bad < 0 {
				bad = m
			}
			n += int64(len(b))
		},
		eof: func(c *reactor.Conn) {
			done <- result{n, bad}
			_ = c.Close()
		},
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	rc := recv(t, opened, "OnOpen")
	base := heapInUse()
	sent, err := flood(peer, src)
	checkFloodStopped(t, sent, err)
	checkHeap(t, base, "paused reactor Conn")
	if err := peer.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if err := rc.ResumeRead(); err != nil {
		t.Fatal(err)
	}
	res := recv(t, done, "OnEOF")
	if res.n != sent || res.bad >= 0 {
		t.Fatalf("server got %d of %d bytes, first wrong byte at %d", res.n, sent, res.bad)
	}
	if _, err := io.ReadAll(peer); err != nil { // the server closes after EOF
		t.Fatal(err)
	}
}

// TestFacadeSlowWriterBounded: an accepted Conn writes up to 1 GiB to a peer
// that trickles it in; the write deadline ends it with a timeout, memory
// stays bounded, and after Close the peer has exactly what Write counted.
func TestFacadeSlowWriterBounded(t *testing.T) {
	r := newReactor(t)
	peer, c := acceptedPair(t, r)
	src := newStream(13)
	fast := make(chan struct{})
	type result struct {
		n   int64
		err error
	}
	got := make(chan result, 1)
	go func() {
		n, err := readStream(peer, src, fast)
		got <- result{n, err}
	}()
	base := heapInUse()
	if err := c.SetWriteDeadline(time.Now().Add(slowFor)); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, slowChunk)
	var off int64
	var werr error
	for off < slowTotal && werr == nil {
		src.fill(chunk, off)
		var n int
		n, werr = c.Write(chunk)
		off += int64(n)
	}
	checkTimeout(t, "Write to a slow reader", werr)
	t.Logf("wrote %d bytes to a slow reader in %v", off, slowFor)
	checkHeap(t, base, "facade writer")
	close(fast)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	res := recv(t, got, "the reader")
	if res.err != nil || res.n != off {
		t.Fatalf("peer read %d bytes, %v; Write counted %d", res.n, res.err, off)
	}
}

// TestReactorSlowWriterBounded: a reactor handler writes up to 1 GiB, only
// while its queue is under the high-water mark (WriteNotifier), to a peer
// that trickles it in; a timer stops it. Memory stays bounded and, after
// Close, the peer has every byte written.
func TestReactorSlowWriterBounded(t *testing.T) {
	r := newReactor(t)
	src := newStream(14)
	stopped := make(chan int64, 1)
	opened := make(chan *reactor.Conn, 1)
	var off int64 // loop-owned, as are stop and blocked
	stop, blocked := false, false
	chunk := make([]byte, slowChunk)
	// fill queues up to the high-water mark. OnWriteDrained only follows
	// OnWriteBlocked, and the kernel may take the whole queue at once, so
	// while not blocked it checks again after the loop's flush (Execute
	// runs after it).
	var fill func(c *reactor.Conn)
	fill = func(c *reactor.Conn) {
		for !stop && off < slowTotal && c.Buffered() < 1<<20 {
			src.fill(chunk, off)
			if _, err := c.Write(chunk); err != nil {
				return
			}
			off += slowChunk
		}
		if !stop && !blocked && off < slowTotal {
			_ = c.Execute(func() { fill(c) })
		}
	}
	h := &funcs{
		open: func(c *reactor.Conn) {
			opened <- c
			if _, err := c.AfterFunc(slowFor, func() { stop = true; stopped <- off }); err != nil {
				stopped <- -1
			}
			fill(c)
		},
		blocked: func(*reactor.Conn) { blocked = true },
		drained: func(c *reactor.Conn) {
			blocked = false
			fill(c)
		},
	}
	ln := reactorListen(t, r, h)
	peer := stdDial(t, ln.Addr())
	rc := recv(t, opened, "OnOpen")
	fast := make(chan struct{})
	type result struct {
		n   int64
		err error
	}
	got := make(chan result, 1)
	base := heapInUse()
	go func() {
		n, err := readStream(peer, src, fast)
		got <- result{n, err}
	}()
	var written int64
	select {
	case written = <-stopped:
	case <-time.After(testTimeout):
		// Seen with two race suites running at once, when a round of
		// tasks ran up to 256 steps of fill's Execute chain back to back
		// and the timer waited for the round (reactor
		// TestHeavyTaskChainLetsLoopLook). These say whether the loop was
		// still running tasks and writing, and what the kernel holds for
		// its epoll and timer descriptors.
		st := r.Stats().Total
		t.Fatalf("timed out waiting for the stop timer: tasks run %d, bytes written %d, queued now %d, panics %d, stall rescues %d\nstats: %+v\n%s",
			st.TasksRun, st.BytesWritten, rc.Buffered(), st.Panics, st.StallRescues, r.Stats(), testkit.PollInfo())
	}
	if written < 0 {
		t.Fatal("AfterFunc failed")
	}
	t.Logf("queued %d bytes for a slow reader in %v", written, slowFor)
	checkHeap(t, base, "reactor writer")
	close(fast)
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	res := recv(t, got, "the reader")
	if res.err != nil || res.n != written {
		t.Fatalf("peer read %d bytes, %v; handler wrote %d", res.n, res.err, written)
	}
}

// closedChan is a channel that is always ready.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()
