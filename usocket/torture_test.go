package usocket

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
)

// streamByte is byte i of connection id's stream: any byte out of place,
// lost or repeated is seen by the reader.
func streamByte(id uint64, i int64) byte { return byte(uint64(i)*131 + id*7 + uint64(i>>8)) }

// tortureConn is one session's view of how a stream must end.
type tortureConn struct {
	id      uint64
	written atomic.Int64 // bytes whose Write returned (acknowledged)
	clean   atomic.Bool  // the writer ended with a graceful close
}

// TestTortureTCP (issue 12): many sessions at once dial, accept (several
// Accepts in parallel), write and read with random chunk sizes while other
// goroutines move deadlines, shut down sides, close or abort at random
// points, so that descriptors are churned and numbers reused. Invariants:
// every call returns (each blocking call is bounded); bytes arrive once,
// in order and intact, all of them after a graceful close; no descriptor
// is left (and goleak checks goroutines).
func TestTortureTCP(t *testing.T) {
	dur, seed := testkit.Torture(t, 6*time.Second, 2*time.Second)
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	// The seed also picks how idle loops wait: lent to blocked callers
	// (reactor.IdleWaitAuto, the default) or never (IdleWaitPark), which
	// changes who runs the loop.
	idle := []reactor.IdleWait{reactor.IdleWaitAuto, reactor.IdleWaitPark}[seed%2]
	t.Logf("torture: idle wait %d", idle)
	r, err := reactor.New(reactor.WithLoops(2), reactor.WithIdleWait(idle))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dur+30*time.Second)
	defer cancel()
	lc := ListenConfig{Reactor: r}
	ln, err := lc.Listen(ctx, "127.0.0.1", AutoPort)
	if err != nil {
		t.Fatal(err)
	}
	port := int(ln.AddrPort().Port())

	// Accepted connections are matched to their session by the id the
	// client sends first.
	var (
		mu       sync.Mutex
		sessions = map[uint64]chan *Conn{}
	)
	var acceptors sync.WaitGroup
	for range 3 {
		acceptors.Add(1)
		go func() {
			defer acceptors.Done()
			for {
				c, err := ln.AcceptConn(ctx)
				if err != nil {
					if !errors.Is(err, net.ErrClosed) {
						t.Errorf("Accept: %v", err)
					}
					return
				}
				go func() {
					var hdr [8]byte
					_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
					if _, err := io.ReadFull(c, hdr[:]); err != nil {
						if isTimeoutErr(err) { // every client sends its id at once
							t.Errorf("seed %d: an accepted connection's id did not come in 10 s: %v", seed, err)
						}
						_ = c.Close() // the client gave up before sending its id
						return
					}
					_ = c.SetReadDeadline(time.Time{})
					mu.Lock()
					ch := sessions[binary.BigEndian.Uint64(hdr[:])]
					mu.Unlock()
					ch <- c
				}()
			}
		}()
	}

	stop := time.Now().Add(dur)
	var workers sync.WaitGroup
	var rounds atomic.Int64
	for w := range 8 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for i := uint64(0); time.Now().Before(stop); i++ {
				id := uint64(w)<<32 | i
				ch := make(chan *Conn, 1)
				mu.Lock()
				sessions[id] = ch
				mu.Unlock()
				if err := tortureSession(ctx, r, port, id, ch, rng); err != nil {
					t.Errorf("seed %d, session %x: %v", seed, id, err)
					return
				}
				rounds.Add(1)
				mu.Lock()
				delete(sessions, id)
				mu.Unlock()
			}
		}()
	}
	done := make(chan struct{})
	go func() { workers.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		tortureDiagnose(t, ln, r)
		t.Fatalf("seed %d: sessions did not end: a call never returned", seed)
	}
	_ = ln.Close()
	acceptors.Wait()
	t.Logf("torture: %d sessions, %d stall rescues", rounds.Load(), r.Stats().Total.StallRescues)
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

// tortureSession runs one connection with a random script and checks what
// the server side received.
func tortureSession(ctx context.Context, r *reactor.Reactor, port int, id uint64, accepted <-chan *Conn, rng *rand.Rand) error {
	d := Dialer{Reactor: r}
	cl, err := d.Connect(ctx, "127.0.0.1", port)
	if err != nil {
		return fmt.Errorf("Connect: %w", err)
	}
	defer cl.Close()
	var hdr [8]byte
	binary.BigEndian.PutUint64(hdr[:], id)
	if _, err := cl.Write(hdr[:]); err != nil {
		return fmt.Errorf("write id: %w", err)
	}
	var srv *Conn
	select {
	case srv = <-accepted:
	case <-ctx.Done():
		return errors.New("never accepted")
	}
	defer srv.Close()

	tc := &tortureConn{id: id}
	total := int64(rng.IntN(256 << 10))
	ending := rng.IntN(6) // how the writer ends
	chaos := rng.IntN(5)  // what a third goroutine does meanwhile
	readChunk := 1 + rng.IntN(64<<10)
	chunkSeed := rng.Uint64()

	closeAt := rng.Int64N(total + 1) // chaos 4: the server closes after this much
	progressed := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() { // the writer, on the client
		defer wg.Done()
		wr := rand.New(rand.NewPCG(chunkSeed, 1))
		buf := make([]byte, 32<<10)
		_ = cl.SetWriteDeadline(time.Now().Add(20 * time.Second))
		cut := total
		if ending >= 3 { // abort or close part-way
			cut = wr.Int64N(total + 1)
		}
		for off := int64(0); off < cut; {
			n := min(int64(1+wr.IntN(len(buf))), cut-off)
			for i := range n {
				buf[i] = streamByte(id, off+i)
			}
			k, err := cl.Write(buf[:n])
			off += int64(k)
			tc.written.Add(int64(k))
			if err != nil {
				writeErr = err
				return
			}
		}
		switch ending {
		case 0:
			if cl.CloseWrite() == nil {
				tc.clean.Store(true)
			}
		case 1, 2:
			if cl.Close() == nil {
				tc.clean.Store(true)
			}
		case 3:
			_ = cl.Abort()
		default:
			_ = cl.Close()
			tc.clean.Store(true)
		}
	}()
	wg.Add(1)
	go func() { // chaos on the server side
		defer wg.Done()
		switch chaos {
		case 1: // a deadline in the past wakes the reader, then is lifted
			_ = srv.SetReadDeadline(time.Now())
			_ = srv.SetReadDeadline(time.Time{})
		case 2: // a second, concurrent, zero-length and short Read
			_, _ = srv.Read(nil)
		case 3: // poke options and readiness concurrently with I/O
			_, _ = srv.NoDelay()
			_ = srv.Ready()
		case 4: // close the server end under a Read in flight
			<-progressed
			_ = srv.Close()
		}
	}()

	// The reader, on the server: bytes must be the stream's, in order.
	_ = srv.SetReadTimeout(20 * time.Second)
	buf := make([]byte, readChunk)
	var got int64
	var readErr error
	signalled := false
	for {
		if !signalled && got >= closeAt {
			close(progressed)
			signalled = true
		}
		n, err := srv.Read(buf)
		for i := range n {
			if buf[i] != streamByte(id, got+int64(i)) {
				return fmt.Errorf("byte %d is %#x, want %#x (out of order, lost or repeated)", got+int64(i), buf[i], streamByte(id, got+int64(i)))
			}
		}
		got += int64(n)
		if err != nil {
			if isTimeoutErr(err) && chaos == 1 {
				continue // the chaos goroutine's deadline; it lifts it
			}
			readErr = err
			break
		}
	}
	if !signalled {
		close(progressed)
	}
	wg.Wait()
	if chaos == 4 {
		return nil // the server closed part-way: only order and prefix hold
	}
	if w := tc.written.Load(); got > w {
		return fmt.Errorf("read %d bytes, only %d were written", got, w)
	}
	if tc.clean.Load() && writeErr == nil {
		if readErr != io.EOF {
			return fmt.Errorf("graceful end: read ended with %v after %d bytes", readErr, got)
		}
		if w := tc.written.Load(); got != w {
			return fmt.Errorf("graceful end: read %d of %d acknowledged bytes", got, w)
		}
	}
	return nil
}

func isTimeoutErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// tortureDiagnose logs what a hang needs explained: whether connections
// wait in the listener's backlog, the listener's edge count, the loops'
// counters and every goroutine's stack.
func tortureDiagnose(t *testing.T, ln *Listener, r *reactor.Reactor) {
	t.Helper()
	t.Logf("listener: backlog readable now %v, edges seen %d", pollReady(ln.fd.Sysfd), ln.rd.Seq())
	t.Logf("reactor: %+v", r.Stats())
	var stacks strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
	t.Logf("goroutines:\n%s", stacks.String())
}
