package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"
)

// IdleMemory measures the server's memory cost of idle connections. It reads
// the VmRSS of process l.PID, opens l.Conns TCP connections to l.Addr, echoes
// one l.Size-byte message on each (so the server has certainly accepted and
// served it), reads VmRSS again while all connections are held open, and
// reports the growth in KiB per connection. Warmup and Duration are unused.
// The caller needs about l.Conns spare file descriptors.
func IdleMemory(ctx context.Context, l Load) (Result, error) {
	if l.Addr == "" || l.Conns <= 0 || l.Size <= 0 || l.PID <= 0 {
		return Result{}, fmt.Errorf("%w: idle needs address, connections, size and pid (got %q, %d, %d, %d)",
			ErrBadLoad, l.Addr, l.Conns, l.Size, l.PID)
	}
	before, err := ReadRSS(l.PID)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	conns, err := dialAll(ctx, l, l.Conns, dialParallelism)
	if err != nil {
		return Result{}, err
	}
	defer closeAll(conns)

	stats := make([]workerStats, dialParallelism)
	err = runWorkers(min(dialParallelism, len(conns)), func(wk int) error {
		msg, in := newPayload(l.Size, wk), make([]byte, l.Size)
		for i := wk; i < len(conns); i += dialParallelism {
			c := conns[i]
			if err := c.SetDeadline(time.Now().Add(l.dialTimeout())); err != nil {
				return fmt.Errorf("set deadline: %w", err)
			}
			if _, err := c.Write(msg); err != nil {
				return fmt.Errorf("idle probe write (connection %d): %w", i, err)
			}
			if _, err := io.ReadFull(c, in); err != nil {
				return fmt.Errorf("idle probe read (connection %d): %w", i, err)
			}
			if !bytes.Equal(msg, in) {
				stats[wk].mismatches++
			}
		}
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return Result{}, err
	}
	after, err := ReadRSS(l.PID)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		Unit:    UnitKiBPerConn,
		Count:   int64(len(conns)),
		Elapsed: time.Since(start),
		Value:   float64(after-before) / float64(len(conns)),
	}
	for _, st := range stats {
		res.Mismatches += st.mismatches
	}
	return res, nil
}
