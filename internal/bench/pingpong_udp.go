package bench

import (
	"context"
	"fmt"
	"net"
	"time"
)

// defaultLossTimeout is how long a UDP ping waits before it counts as lost.
const defaultLossTimeout = 200 * time.Millisecond

// UDPPingPong opens l.Conns connected UDP sockets to l.Addr; each sends an
// l.Size-byte datagram (at least 8 bytes: it carries a sequence number) and
// waits for the echo. A datagram not echoed within l.LossTimeout counts as
// lost and the socket moves on to the next sequence number; late echoes of
// lost datagrams are recognised by their sequence number and skipped. It
// reports round trips per second, p50/p99 latency, losses and mismatches.
func UDPPingPong(ctx context.Context, l Load) (Result, error) {
	if err := l.check(seqLen); err != nil {
		return Result{}, err
	}
	timeout := l.LossTimeout
	if timeout <= 0 {
		timeout = defaultLossTimeout
	}
	socks, err := dialUDP(ctx, l)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		for _, s := range socks {
			_ = s.Close()
		}
	}()
	w := newWindow(l)
	stop := cancelOnDone(ctx, asNetConns(socks))
	defer stop()

	stats := make([]workerStats, len(socks))
	err = runWorkers(len(socks), func(i int) error {
		return pingPongUDPSock(ctx, socks[i], i, l.Size, timeout, w, &stats[i])
	})
	res := mergeStats(stats, w)
	if err == nil {
		err = ctx.Err()
	}
	return res, err
}

// dialUDP opens l.Conns connected UDP sockets.
func dialUDP(ctx context.Context, l Load) ([]*net.UDPConn, error) {
	d := net.Dialer{Timeout: l.dialTimeout()}
	socks := make([]*net.UDPConn, 0, l.Conns)
	for range l.Conns {
		c, err := d.DialContext(ctx, "udp", l.Addr)
		if err != nil {
			for _, s := range socks {
				_ = s.Close()
			}
			return nil, fmt.Errorf("dial udp %s: %w", l.Addr, err)
		}
		socks = append(socks, c.(*net.UDPConn))
	}
	return socks, nil
}

// pingPongUDPSock runs the datagram ping-pong loop on c until the window
// closes or ctx ends.
func pingPongUDPSock(ctx context.Context, c *net.UDPConn, id, size int, timeout time.Duration, w window, st *workerStats) error {
	out := newPayload(size, id)
	in := make([]byte, size+1) // one spare byte exposes oversized echoes
	for seq := uint64(0); ; seq++ {
		setSeq(out, seq)
		t0 := time.Now()
		if !t0.Before(w.end) {
			return nil
		}
		if _, err := c.Write(out); err != nil {
			return fmt.Errorf("udp write: %w", err)
		}
		if err := c.SetReadDeadline(minTime(t0.Add(timeout), w.end)); err != nil {
			return fmt.Errorf("set deadline: %w", err)
		}
		got, err := awaitReply(c, in, seq)
		t1 := time.Now()
		switch {
		case err != nil && !isTimeout(err):
			return fmt.Errorf("udp read: %w", err)
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			if t1.Before(w.end) && !t0.Before(w.start) {
				st.losses++
			}
			continue
		}
		if !st.roundTrip(out, got, t0, t1, w) {
			return nil
		}
	}
}

// awaitReply reads datagrams until one is not a late echo of an earlier
// sequence number.
func awaitReply(c *net.UDPConn, in []byte, seq uint64) ([]byte, error) {
	for {
		n, err := c.Read(in)
		if err != nil {
			return nil, err
		}
		if n >= seqLen && getSeq(in[:n]) < seq {
			continue
		}
		return in[:n], nil
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
