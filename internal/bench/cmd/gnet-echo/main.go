package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/panjf2000/gnet/v2"

	"github.com/usocket-go/usocket/internal/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gnet-echo:", err)
		os.Exit(1)
	}
}

func run() error {
	sf, err := bench.ParseServerFlags("gnet-echo", os.Args[1:], os.Stderr)
	if err != nil {
		return err
	}
	addr := sf.Addr
	if sf.Proto == "udp" {
		// UDP forces SO_REUSEPORT with one socket per loop; each loop binds the
		// address again, so port 0 would give every loop a different port.
		if addr, err = freeUDPAddr(addr); err != nil {
			return err
		}
	}
	srv := &echoServer{proto: sf.Proto, engines: make(chan gnet.Engine, 1)}
	go srv.stopOnSignal()
	return gnet.Run(srv, sf.Proto+"://"+addr,
		gnet.WithMulticore(true),
		gnet.WithNumEventLoop(sf.Loops),
		gnet.WithLogger(quietLogger{}),
	)
}

// echoServer writes every inbound byte straight back.
type echoServer struct {
	gnet.BuiltinEventEngine
	proto   string
	engines chan gnet.Engine
}

// OnBoot announces the bound address and hands the engine to the stopper.
func (s *echoServer) OnBoot(eng gnet.Engine) gnet.Action {
	addr, err := boundAddr(eng, s.proto)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gnet-echo:", err)
		return gnet.Shutdown
	}
	if err := bench.AnnounceListening(os.Stdout, addr); err != nil {
		return gnet.Shutdown
	}
	s.engines <- eng
	return gnet.None
}

// OnTraffic echoes whatever arrived.
func (s *echoServer) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Next(-1)
	_, _ = c.Write(buf)
	return gnet.None
}

// stopOnSignal stops the engine on SIGINT or SIGTERM, which makes gnet.Run
// return.
func (s *echoServer) stopOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	select {
	case eng := <-s.engines:
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := eng.Stop(ctx); err != nil {
			os.Exit(1)
		}
	case <-time.After(time.Second):
		os.Exit(0) // never booted
	}
}

// boundAddr learns the real listening address through a dup of the listener.
func boundAddr(eng gnet.Engine, proto string) (net.Addr, error) {
	fd, err := eng.Dup()
	if err != nil {
		return nil, fmt.Errorf("dup listener: %w", err)
	}
	f := os.NewFile(uintptr(fd), "gnet-listener")
	defer func() { _ = f.Close() }()
	if proto == "udp" {
		pc, err := net.FilePacketConn(f)
		if err != nil {
			return nil, fmt.Errorf("inspect listener: %w", err)
		}
		defer func() { _ = pc.Close() }()
		return pc.LocalAddr(), nil
	}
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("inspect listener: %w", err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr(), nil
}

// freeUDPAddr replaces port 0 in addr with a currently free UDP port.
func freeUDPAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	if port != "0" {
		return addr, nil
	}
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", fmt.Errorf("pick a free UDP port: %w", err)
	}
	defer func() { _ = pc.Close() }()
	return pc.LocalAddr().String(), nil
}

// quietLogger drops gnet's informational logging and keeps errors on stderr,
// so stdout carries only the listening line.
type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gnet-echo: "+format+"\n", args...)
}
func (quietLogger) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gnet-echo: fatal: "+format+"\n", args...)
}
