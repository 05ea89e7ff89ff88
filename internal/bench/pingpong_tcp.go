package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// dialParallelism bounds concurrent dials so the listen backlog never overflows.
const dialParallelism = 64

// TCPPingPong opens l.Conns connections to l.Addr; each repeatedly writes an
// l.Size-byte message, reads the echo in full and compares it with what it
// sent. It reports round trips per second over the measurement window, the
// merged p50/p99 round-trip latency and the number of mismatched echoes.
func TCPPingPong(ctx context.Context, l Load) (Result, error) {
	conns, err := dialLoad(ctx, l)
	if err != nil {
		return Result{}, err
	}
	defer closeAll(conns)
	w := newWindow(l)
	stop := cancelOnDone(ctx, asNetConns(conns))
	defer stop()

	stats := make([]workerStats, len(conns))
	err = runWorkers(len(conns), func(i int) error {
		return pingPongTCPConn(conns[i], i, l.Size, w, &stats[i])
	})
	res := mergeStats(stats, w)
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// workerStats is one worker's private tally, merged after the run; count
// is round trips for ping-pong and bytes for bulk.
type workerStats struct {
	count      int64
	mismatches int64
	losses     int64
	hist       histogram
}

// pingPongTCPConn runs the ping-pong loop on c until the window closes.
func pingPongTCPConn(c *net.TCPConn, id, size int, w window, st *workerStats) error {
	if err := c.SetDeadline(w.end); err != nil {
		return fmt.Errorf("set deadline: %w", err)
	}
	out := newPayload(size, id)
	in := make([]byte, size)
	for seq := uint64(0); ; seq++ {
		setSeq(out, seq)
		t0 := time.Now()
		if _, err := c.Write(out); err != nil {
			return endOfWindow(fmt.Errorf("write: %w", err), w)
		}
		if _, err := io.ReadFull(c, in); err != nil {
			return endOfWindow(fmt.Errorf("read echo: %w", err), w)
		}
		if !st.roundTrip(out, in, t0, time.Now(), w) {
			return nil
		}
	}
}

// roundTrip tallies one echo of sent, received as echoed: a mismatch if
// they differ, and a counted round trip with its latency if it was sent at
// t0 inside the window. It reports false once the echo came back at t1
// after the window closed.
func (st *workerStats) roundTrip(sent, echoed []byte, t0, t1 time.Time, w window) bool {
	if !bytes.Equal(sent, echoed) {
		st.mismatches++
	}
	if !t1.Before(w.end) {
		return false
	}
	if !t0.Before(w.start) {
		st.count++
		st.hist.record(t1.Sub(t0))
	}
	return true
}

// endOfWindow treats a deadline expiry once the window has closed as the
// normal end of a worker; any other error is returned unchanged.
func endOfWindow(err error, w window) error {
	if isTimeout(err) && !time.Now().Before(w.end) {
		return nil
	}
	return err
}

// mergeStats folds per-worker tallies into a ping-pong Result.
func mergeStats(stats []workerStats, w window) Result {
	var h histogram
	res := Result{Unit: UnitRoundTrips, Elapsed: w.end.Sub(w.start)}
	for i := range stats {
		res.Count += stats[i].count
		res.Mismatches += stats[i].mismatches
		res.Losses += stats[i].losses
		h.merge(&stats[i].hist)
	}
	res.Value = float64(res.Count) / res.Elapsed.Seconds()
	res.P50, res.P99 = h.quantile(0.50), h.quantile(0.99)
	return res
}

func asNetConns[C net.Conn](cs []C) []net.Conn {
	out := make([]net.Conn, len(cs))
	for i, c := range cs {
		out[i] = c
	}
	return out
}
