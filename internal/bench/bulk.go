package bench

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"time"
)

// bulkReadBuf is the client's read size for the bulk scenario.
const bulkReadBuf = 64 << 10

// Bulk opens l.Conns connections to l.Addr; on each, one goroutine streams
// l.Size-byte writes of a known byte pattern while another reads the echo
// concurrently and checks it against the pattern. It reports echoed megabytes
// (10^6 bytes) per second over the measurement window; Mismatches counts reads
// whose bytes differed from the stream.
func Bulk(ctx context.Context, l Load) (Result, error) {
	conns, err := dialLoad(ctx, l)
	if err != nil {
		return Result{}, err
	}
	defer closeAll(conns)
	w := newWindow(l)
	stop, err := armConns(ctx, conns, (*net.TCPConn).SetDeadline, w.end)
	if err != nil {
		return Result{}, err
	}
	defer stop()

	pattern := newStreamPattern(max(l.Size, bulkReadBuf))
	stats := make([]workerStats, len(conns))
	err = runWorkers(2*len(conns), func(i int) error {
		c := conns[i/2]
		if i%2 == 0 {
			return bulkWrite(c, pattern, l.Size, w)
		}
		return bulkRead(c, pattern, w, &stats[i/2])
	})
	res := Result{Unit: UnitMBps, Elapsed: w.end.Sub(w.start)}
	for _, st := range stats {
		res.Count += st.count
		res.Mismatches += st.mismatches
	}
	res.Value = float64(res.Count) / 1e6 / res.Elapsed.Seconds()
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// bulkWrite streams the pattern in size-byte writes until the window closes.
func bulkWrite(c *net.TCPConn, pattern []byte, size int, w window) error {
	var off int
	for {
		n, err := c.Write(pattern[off%streamPeriod:][:size])
		off += n
		if err != nil {
			return endOfWindow(fmt.Errorf("bulk write: %w", err), w)
		}
	}
}

// bulkRead reads the echo, verifies it and counts bytes that arrive inside
// the window (in st.count).
func bulkRead(c *net.TCPConn, pattern []byte, w window, st *workerStats) error {
	buf := make([]byte, bulkReadBuf)
	var off int
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if !bytes.Equal(buf[:n], pattern[off%streamPeriod:][:n]) {
				st.mismatches++
			}
			off += n
			if now := time.Now(); !now.Before(w.start) && now.Before(w.end) {
				st.count += int64(n)
			}
		}
		if err != nil {
			return endOfWindow(fmt.Errorf("bulk read: %w", err), w)
		}
	}
}
