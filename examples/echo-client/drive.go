package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/usocket-go/usocket/udp"
	"github.com/usocket-go/usocket/usocket"
)

// result is what all connections did.
type result struct {
	lat     []time.Duration // one per echoed message
	resends int             // UDP datagrams sent again
	elapsed time.Duration
	err     error // the first failure
}

// connResult is what one connection did.
type connResult struct {
	lat     []time.Duration
	resends int
	err     error
}

// drive runs cfg.conns connections at once and gathers their results.
func drive(ctx context.Context, cfg config) result {
	out := make(chan connResult, cfg.conns)
	start := time.Now()
	for i := 0; i < cfg.conns; i++ {
		go func() {
			if cfg.proto == "udp" {
				out <- driveUDP(ctx, cfg, i)
			} else {
				out <- driveTCP(ctx, cfg, i)
			}
		}()
	}
	var res result
	for i := 0; i < cfg.conns; i++ {
		r := <-out
		res.lat = append(res.lat, r.lat...)
		res.resends += r.resends
		if r.err != nil && res.err == nil {
			res.err = r.err
		}
	}
	res.elapsed = time.Since(start)
	return res
}

// message fills b with a pattern unique to connection id and message i,
// so a misrouted or stale echo is caught.
func message(b []byte, id, i int) {
	seed := byte(id*131 + i*7)
	for j := range b {
		b[j] = seed + byte(j)
	}
	if len(b) >= 8 {
		copy(b, fmt.Sprintf("%04x%04x", id&0xffff, i&0xffff))
	}
}

func driveTCP(ctx context.Context, cfg config, id int) (r connResult) {
	c, err := (&usocket.Dialer{Timeout: cfg.timeout}).Connect(ctx, cfg.host, cfg.port)
	if err != nil {
		return connResult{err: err}
	}
	defer func() { _ = c.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = c.Abort() })
	defer stop()
	msg, echo := make([]byte, cfg.size), make([]byte, cfg.size)
	r.lat = make([]time.Duration, 0, cfg.n)
	for i := 0; i < cfg.n; i++ {
		message(msg, id, i)
		_ = c.SetDeadline(time.Now().Add(cfg.timeout))
		t0 := time.Now()
		if _, err := c.Write(msg); err != nil {
			r.err = fmt.Errorf("connection %d, message %d: %w", id, i, err)
			return r
		}
		if _, err := io.ReadFull(c, echo); err != nil {
			r.err = fmt.Errorf("connection %d, message %d: %w", id, i, err)
			return r
		}
		r.lat = append(r.lat, time.Since(t0))
		if !bytes.Equal(msg, echo) {
			r.err = fmt.Errorf("connection %d, message %d: echo differs", id, i)
			return r
		}
	}
	return r
}

func driveUDP(ctx context.Context, cfg config, id int) (r connResult) {
	c, err := udp.Dial(ctx, cfg.host, cfg.port)
	if err != nil {
		return connResult{err: err}
	}
	defer func() { _ = c.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	msg, echo := make([]byte, cfg.size), make([]byte, cfg.size+1)
	r.lat = make([]time.Duration, 0, cfg.n)
	for i := 0; i < cfg.n; i++ {
		message(msg, id, i)
		t0 := time.Now()
		giveUp := t0.Add(cfg.timeout)
		stale := func(b []byte) bool { return isStaleEcho(b, id, i) }
		if err := udpExchange(c, msg, echo, giveUp, cfg.retry, stale, &r.resends); err != nil {
			r.err = fmt.Errorf("connection %d, message %d: %w", id, i, err)
			return r
		}
		r.lat = append(r.lat, time.Since(t0))
	}
	return r
}

// udpExchange sends msg and waits for its echo, sending again every retry
// and skipping late echoes of earlier messages, until giveUp.
func udpExchange(c *udp.Conn, msg, echo []byte, giveUp time.Time, retry time.Duration,
	stale func([]byte) bool, resends *int) error {
	for first := true; ; first = false {
		if time.Now().After(giveUp) {
			return errors.New("no echo in time")
		}
		if !first {
			*resends++
		}
		if _, err := c.Send(msg, netip.AddrPort{}); err != nil {
			return err
		}
		next := time.Now().Add(retry)
		if next.After(giveUp) {
			next = giveUp
		}
		_ = c.SetReadDeadline(next)
		for {
			n, _, _, err := c.Receive(echo)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				break // resend
			}
			if err != nil {
				return err
			}
			if bytes.Equal(echo[:n], msg) {
				return nil
			}
			if !stale(echo[:n]) {
				return fmt.Errorf("echo differs (%d bytes for a %d-byte message)", n, len(msg))
			}
			// a late echo of an earlier message: keep waiting
		}
	}
}

// isStaleEcho reports whether b is exactly the message j < i of connection
// id, as its header claims.
func isStaleEcho(b []byte, id, i int) bool {
	if len(b) < 8 {
		return false
	}
	var gotID, j int
	if _, err := fmt.Sscanf(string(b[:8]), "%04x%04x", &gotID, &j); err != nil || gotID != id&0xffff || j >= i&0xffff {
		return false
	}
	want := make([]byte, len(b))
	message(want, id, j)
	return bytes.Equal(b, want)
}
