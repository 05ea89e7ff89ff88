package udp

import (
	"errors"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"
)

// Send is usocket's SOCKET-SEND: it sends b as one datagram to to, or to
// the connected peer when to is the zero netip.AddrPort, and returns the
// number of bytes sent. A zero-length datagram is allowed.
//
// Errors, all *net.OpError:
//   - more than MaxDatagramSize bytes: ErrDatagramTooLarge (checked before
//     any system call);
//   - an explicit to on a connected socket: net.ErrWriteToConnected;
//   - no to on an unconnected socket: the kernel's EDESTADDRREQ, matching
//     usocket.ErrInvalidArgument;
//   - after Close: net.ErrClosed; past the write deadline: a timeout.
//
// When the kernel's send buffer is full, Send waits for space, at most until
// the write deadline.
func (c *Conn) Send(b []byte, to netip.AddrPort) (int, error) {
	return c.send("write", b, to)
}

// WriteTo implements net.PacketConn: it sends b to addr, a *net.UDPAddr (or
// any net.Addr whose String is an "ip:port"). See Send.
func (c *Conn) WriteTo(b []byte, addr net.Addr) (int, error) {
	var to netip.AddrPort
	switch a := addr.(type) {
	case *net.UDPAddr:
		if a != nil {
			to = a.AddrPort()
		}
	case nil:
	default:
		ap, err := netip.ParseAddrPort(a.String())
		if err != nil {
			return 0, c.inputError("write", "WriteTo", "addr", addr.String(), "not an ip:port address", err, netip.AddrPort{})
		}
		to = ap
	}
	if !to.IsValid() {
		return 0, c.inputError("write", "WriteTo", "addr", addr, "missing address", nil, netip.AddrPort{})
	}
	return c.send("write", b, to)
}

// Write implements net.Conn for a connected socket: it sends b as one
// datagram to the peer. On an unconnected socket it fails with an error
// matching ErrNotConnected.
func (c *Conn) Write(b []byte) (int, error) {
	if !c.connected {
		return 0, c.inputError("write", "Write", "socket", c.local, "use Send or WriteTo", ErrNotConnected, netip.AddrPort{})
	}
	return c.send("write", b, netip.AddrPort{})
}

// send checks the arguments, then sends, waiting for buffer space.
func (c *Conn) send(op string, b []byte, to netip.AddrPort) (int, error) {
	if len(b) > MaxDatagramSize {
		return 0, c.inputError(op, "Send", "datagram size", len(b), "exceeds MaxDatagramSize (65507)", ErrDatagramTooLarge, to)
	}
	var sa *sockaddr
	var raw sockaddr
	if to != (netip.AddrPort{}) {
		if c.connected {
			return 0, c.inputError(op, "Send", "to", to, "socket is connected", net.ErrWriteToConnected, to)
		}
		if !to.Addr().IsValid() || !raw.set(to, c.family) {
			return 0, c.inputError(op, "Send", "to", to, "not an address this socket can reach", nil, to)
		}
		sa = &raw
	}
	for {
		if c.isDone() {
			return 0, c.closedError(op)
		}
		if c.wdl.Expired() {
			return 0, c.timeoutError(op)
		}
		n, err := c.sendOnce(b, sa)
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, net.ErrClosed):
			return 0, c.closedError(op)
		case !errors.Is(err, unix.EAGAIN):
			return 0, c.opError(op, to, os.NewSyscallError("sendto", err))
		}
		if err := c.waitWritable(op, c.wdl.Wait()); err != nil {
			return 0, err
		}
	}
}

// sendOnce makes one non-blocking send on the sending descriptor, which
// cannot be closed meanwhile.
func (c *Conn) sendOnce(b []byte, sa *sockaddr) (int, error) {
	c.fdMu.RLock()
	defer c.fdMu.RUnlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return sendto(c.sfd, b, sa)
}

// waitWritable turns write interest on and waits until the loop reports the
// socket writable, the socket closes or the deadline dl passes.
func (c *Conn) waitWritable(op string, dl <-chan struct{}) error {
	c.spaceWaits.Add(1)
	c.mu.Lock()
	if c.writable == nil {
		c.writable = make(chan struct{})
	}
	ch := c.writable
	if !c.writeOn {
		c.writeOn = true
		c.applyInterestLocked(c.w)
	}
	c.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-c.done:
		return c.closedError(op)
	case <-dl:
		return c.timeoutError(op)
	}
}
