package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/udp"
)

// runUDP sends each stdin read as a datagram and prints each datagram
// received. In listen mode the peer is whoever sends first. After stdin
// ends it stops once no datagram came for cfg.wait.
func runUDP(ctx context.Context, cfg config, stdin io.Reader, stdout, stderr io.Writer) error {
	var c *udp.Conn
	var err error
	if cfg.listen {
		c, err = udp.Listen(ctx, cfg.host, cfg.port)
	} else {
		c, err = udp.Dial(ctx, cfg.host, cfg.port)
	}
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	if cfg.listen {
		fmt.Fprintf(stderr, "ucat listening on %s\n", c.LocalAddr())
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()

	p := &udpPeer{known: make(chan struct{}), done: make(chan struct{})}
	defer close(p.done)
	if !cfg.listen {
		p.set(netip.AddrPort{}) // connected: Send with no address
	}
	// Once stdin has ended, a read deadline of cfg.wait, renewed by every
	// datagram, ends the program.
	var stdinDone atomic.Bool
	sent := make(chan error, 1)
	go func() {
		err := sendLines(c, p, stdin)
		stdinDone.Store(true)
		_ = c.SetReadDeadline(time.Now().Add(cfg.wait))
		sent <- err
	}()

	buf := make([]byte, udp.MaxDatagramSize)
	for {
		n, _, from, err := c.Receive(buf)
		switch {
		case err == nil:
		case errors.Is(err, os.ErrDeadlineExceeded):
			return <-sent // quiet for cfg.wait after stdin ended
		default:
			return err
		}
		// Print first, then let the sender answer: whoever sees the reply
		// knows the request is already on stdout.
		if _, err := stdout.Write(buf[:n]); err != nil {
			return err
		}
		if cfg.listen {
			p.set(from)
		}
		if stdinDone.Load() {
			_ = c.SetReadDeadline(time.Now().Add(cfg.wait))
		}
	}
}

// sendLines sends every read of stdin as one datagram, once the peer is
// known.
func sendLines(c *udp.Conn, p *udpPeer, stdin io.Reader) error {
	buf := make([]byte, 8192)
	for {
		n, err := stdin.Read(buf)
		if n > 0 {
			to, ok := p.wait()
			if !ok {
				return nil
			}
			if _, serr := c.Send(buf[:n], to); serr != nil {
				return serr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// udpPeer is where datagrams go: fixed for a connected socket, the first
// sender in listen mode.
type udpPeer struct {
	once  sync.Once
	known chan struct{}
	done  chan struct{} // closed when runUDP returns
	addr  netip.AddrPort
}

func (p *udpPeer) set(a netip.AddrPort) {
	p.once.Do(func() {
		p.addr = a
		close(p.known)
	})
}

// wait returns the peer once known; false if ucat is ending first.
func (p *udpPeer) wait() (netip.AddrPort, bool) {
	select {
	case <-p.known:
		return p.addr, true
	case <-p.done:
		return netip.AddrPort{}, false
	}
}
