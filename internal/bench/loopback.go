package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// LoopbackLimit measures the machine's ceiling for the bulk rows: one TCP
// stream over loopback, with no server process in between. It listens on
// 127.0.0.1:0 in this process, streams l.Size-byte writes into one
// connection and counts what a reading goroutine receives (and discards)
// inside the window, in megabytes (10^6 bytes) per second. Conns is unused:
// it is always one stream.
func LoopbackLimit(ctx context.Context, l Load) (Result, error) {
	if l.Conns <= 0 {
		l.Conns = 1
	}
	l.Addr = "127.0.0.1:0" // only to pass check; the real address is below
	if err := l.check(1); err != nil {
		return Result{}, err
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return Result{}, fmt.Errorf("loopback listen: %w", err)
	}
	defer func() { _ = ln.Close() }()
	l.Addr = ln.Addr().String()
	if err := ln.SetDeadline(time.Now().Add(l.dialTimeout())); err != nil {
		return Result{}, fmt.Errorf("loopback listen: %w", err)
	}
	type accepted struct {
		c   *net.TCPConn
		err error
	}
	got := make(chan accepted, 1)
	go func() {
		c, err := ln.AcceptTCP()
		got <- accepted{c, err}
	}()
	out, err := dialAll(ctx, l, 1, 1)
	if err != nil {
		_ = ln.Close() // ends the accept at once
	}
	a := <-got
	if err == nil {
		err = a.err
	}
	if err != nil {
		if a.c != nil {
			_ = a.c.Close()
		}
		if out != nil {
			closeAll(out)
		}
		return Result{}, fmt.Errorf("loopback connect: %w", err)
	}
	conns := []*net.TCPConn{out[0], a.c}
	defer closeAll(conns)

	w := newWindow(l)
	stop, err := armConns(ctx, conns, (*net.TCPConn).SetDeadline, w.end)
	if err != nil {
		return Result{}, err
	}
	defer stop()
	pattern := newStreamPattern(l.Size)
	var st workerStats
	err = runWorkers(2, func(i int) error {
		if i == 0 {
			return bulkWrite(conns[0], pattern, l.Size, w)
		}
		return sink(conns[1], w, &st)
	})
	res := Result{Unit: UnitMBps, Count: st.count, Elapsed: w.end.Sub(w.start)}
	res.Value = float64(res.Count) / 1e6 / res.Elapsed.Seconds()
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// sink reads and discards, counting the bytes that arrive inside the window.
func sink(c *net.TCPConn, w window, st *workerStats) error {
	buf := make([]byte, bulkReadBuf)
	for {
		n, err := c.Read(buf)
		if now := time.Now(); n > 0 && !now.Before(w.start) && now.Before(w.end) {
			st.count += int64(n)
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return endOfWindow(fmt.Errorf("loopback read: %w", err), w)
		}
	}
}
