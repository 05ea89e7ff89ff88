package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/usocket-go/usocket/internal/unix"

	"github.com/usocket-go/usocket/internal/bench"
)

const bufSize = 32 << 10

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "std-echo:", err)
		os.Exit(1)
	}
}

func run() error {
	sf, err := bench.ParseServerFlags("std-echo", os.Args[1:], os.Stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if sf.Proto == "udp" {
		return serveUDP(ctx, sf)
	}
	return serveTCP(ctx, sf)
}

func serveTCP(ctx context.Context, sf bench.ServerFlags) error {
	ln, err := net.Listen("tcp", sf.Addr)
	if err != nil {
		return err
	}
	if err := bench.AnnounceListening(os.Stdout, ln.Addr()); err != nil {
		return err
	}
	stopper := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stopper()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("accept: %w", err)
		}
		go echoTCP(c)
	}
}

// echoTCP copies c back to itself until either direction fails.
func echoTCP(c net.Conn) {
	defer func() { _ = c.Close() }()
	buf := make([]byte, bufSize)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func serveUDP(ctx context.Context, sf bench.ServerFlags) error {
	lc := net.ListenConfig{Control: reusePort}
	first, err := lc.ListenPacket(ctx, "udp", sf.Addr)
	if err != nil {
		return err
	}
	conns := []net.PacketConn{first}
	defer func() {
		for _, pc := range conns {
			_ = pc.Close()
		}
	}()
	bound := first.LocalAddr().String()
	for i := 1; i < sf.Loops; i++ {
		pc, err := lc.ListenPacket(ctx, "udp", bound)
		if err != nil {
			return err
		}
		conns = append(conns, pc)
	}
	if err := bench.AnnounceListening(os.Stdout, first.LocalAddr()); err != nil {
		return err
	}
	for _, pc := range conns {
		go echoUDP(pc)
	}
	<-ctx.Done()
	return nil
}

// echoUDP sends every datagram back to its sender until pc is closed.
func echoUDP(pc net.PacketConn) {
	buf := make([]byte, 64<<10)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		_, _ = pc.WriteTo(buf[:n], from)
	}
}

// reusePort sets SO_REUSEPORT so several sockets share one UDP port.
func reusePort(_, _ string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
