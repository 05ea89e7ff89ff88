package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"

	"github.com/usocket-go/usocket/reactor"
	"golang.org/x/sys/unix"
)

// loopUDP is the reactor-mode UDP echo: n sockets sharing one port with
// SO_REUSEPORT, each watched by a loop that reads every datagram and sends
// it back from that loop, without a goroutine hop.
type loopUDP struct {
	r        *reactor.Reactor
	addr     net.Addr
	watchers []*reactor.Watcher
	closed   chan struct{} // one token per watcher that closed
}

// udpEcho answers the datagrams of one socket; OnReadable runs on its loop,
// so its buffer needs no lock.
type udpEcho struct {
	buf    []byte
	closed chan<- struct{}
}

// batch bounds the datagrams echoed per readiness event, so one busy socket
// cannot starve the rest of its loop.
const batch = 64

func (h *udpEcho) OnReadable(w *reactor.Watcher) {
	fd := w.FD()
	for i := 0; i < batch; i++ {
		n, from, err := unix.Recvfrom(fd, h.buf, 0)
		if err != nil {
			return // EAGAIN: drained; other errors (ICMP reports) are not ours to fix
		}
		_ = unix.Sendto(fd, h.buf[:n], 0, from) // a full send buffer drops the echo, as UDP may
	}
}

func (h *udpEcho) OnWritable(*reactor.Watcher) {}

func (h *udpEcho) OnClose(*reactor.Watcher, error) { h.closed <- struct{}{} }

// startLoopUDP binds n sockets on host:port (the first picks the port when
// port is 0) and hands each to the reactor.
func startLoopUDP(ctx context.Context, r *reactor.Reactor, host string, port, n int) (server, error) {
	s := &loopUDP{r: r, closed: make(chan struct{}, n)}
	for i := 0; i < n; i++ {
		fd, addr, err := reusePortSocket(ctx, net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			s.closeWatchers()
			return nil, err
		}
		if s.addr == nil {
			s.addr = addr
			port = addr.(*net.UDPAddr).Port
		}
		w, err := r.Watch(fd, &udpEcho{buf: make([]byte, 65536), closed: s.closed})
		if err != nil {
			_ = unix.Close(fd)
			s.closeWatchers()
			return nil, err
		}
		s.watchers = append(s.watchers, w)
	}
	return s, nil
}

// reusePortSocket opens a UDP socket with SO_REUSEPORT through the standard
// library (for its address handling and error shapes) and returns a
// non-blocking duplicate of its descriptor.
func reusePortSocket(ctx context.Context, address string) (int, net.Addr, error) {
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
		}); err != nil {
			return err
		}
		return serr
	}}
	pc, err := lc.ListenPacket(ctx, "udp", address)
	if err != nil {
		return -1, nil, err
	}
	defer pc.Close()
	rc, err := pc.(*net.UDPConn).SyscallConn()
	if err != nil {
		return -1, nil, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(s uintptr) { fd, derr = unix.Dup(int(s)) }); err != nil {
		return -1, nil, err
	}
	if derr != nil {
		return -1, nil, fmt.Errorf("dup: %w", derr)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd)
		return -1, nil, fmt.Errorf("set non-blocking: %w", err)
	}
	unix.CloseOnExec(fd)
	return fd, pc.LocalAddr(), nil
}

func (s *loopUDP) Addr() string {
	if a, ok := s.addr.(*net.UDPAddr); ok {
		return netip.AddrPortFrom(a.AddrPort().Addr().Unmap(), a.AddrPort().Port()).String()
	}
	return s.addr.String()
}

// Shutdown closes the sockets, waits for their loops to let go of them (or
// ctx), and stops the reactor.
func (s *loopUDP) Shutdown(ctx context.Context) error {
	n := s.closeWatchers()
	var err error
	for i := 0; i < n && err == nil; i++ {
		select {
		case <-s.closed:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	if cerr := s.r.Close(); err == nil && !errors.Is(cerr, reactor.ErrClosed) {
		err = cerr
	}
	return err
}

// closeWatchers closes every watcher and returns how many were open.
func (s *loopUDP) closeWatchers() int {
	n := 0
	for _, w := range s.watchers {
		if w.Close() == nil {
			n++
		}
	}
	s.watchers = nil
	return n
}
