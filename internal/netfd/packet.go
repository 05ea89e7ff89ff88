//go:build windows || usocket_netstd

package netfd

import (
	"errors"
	"net"
	"net/netip"

	"github.com/usocket-go/usocket/internal/unix"
)

// maxDatagram is the largest UDP payload a receive can hold.
const maxDatagram = 1 << 16

// Packet makes a handle for a UDP socket and starts receiving on it: one
// datagram waits at a time (RecvFrom takes it), the next is read once it
// was taken.
func Packet(pc *net.UDPConn) int {
	s := &sock{pc: pc, rbuf: make([]byte, maxDatagram)}
	h := table.Add(s)
	s.start(s.receiveStep)
	return h
}

// receiveStep reads one datagram when none waits. A receive error (an
// ICMP error on a connected socket) is handed on like a datagram and
// receiving goes on; only closing ends it.
func (s *sock) receiveStep() bool {
	n, from, err := s.pc.ReadFromUDPAddrPort(s.rbuf)
	closed := errors.Is(err, net.ErrClosed)
	s.mu.Lock()
	s.rn, s.from, s.rerr = n, from, err
	s.rready = !closed
	cb := s.rd
	s.mu.Unlock()
	if closed {
		return true
	}
	if cb != nil {
		cb()
	}
	return false
}

// RecvFrom takes the waiting datagram (or receive error): EAGAIN if none.
func RecvFrom(h int, b []byte) (int, netip.AddrPort, error) {
	s, err := get(h)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	if s.pc == nil {
		return 0, netip.AddrPort{}, unix.EINVAL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.rready {
		return 0, netip.AddrPort{}, unix.EAGAIN
	}
	n, from, rerr := copy(b, s.rbuf[:s.rn]), s.from, s.rerr
	s.rready, s.rerr = false, nil
	s.st.Kick()
	return n, from, rerr
}

// SendTo sends one datagram to to, or to the connected peer when to is
// the zero AddrPort. UDP sends do not wait for the peer, so it writes at
// once.
func SendTo(h int, b []byte, to netip.AddrPort) (int, error) {
	s, err := get(h)
	if err != nil {
		return 0, err
	}
	if s.pc == nil {
		return 0, unix.EINVAL
	}
	if !to.IsValid() {
		return s.pc.Write(b)
	}
	return s.pc.WriteToUDPAddrPort(b, to)
}
