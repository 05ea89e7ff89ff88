package udp

import (
	"net"
	"net/netip"
	"os"

	"github.com/usocket-go/usocket/internal/unix"

	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/wake"
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
	var sa *sockaddr.Raw
	var raw sockaddr.Raw
	if to != (netip.AddrPort{}) {
		if c.connected {
			return 0, c.inputError(op, "Send", "to", to, "socket is connected", net.ErrWriteToConnected, to)
		}
		if !to.Addr().IsValid() || !raw.Set(to, c.family) {
			return 0, c.inputError(op, "Send", "to", to, "not an address this socket can reach", nil, to)
		}
		sa = &raw
	}
	if !c.fd.Acquire() {
		return 0, c.closedError(op)
	}
	defer c.fd.Release()
	for {
		if c.isDone() {
			return 0, c.closedError(op)
		}
		if c.wdl.Expired() {
			return 0, c.timeoutError(op)
		}
		seq := c.wr.Seq() // before the send: an edge after it is not lost
		n, err := sendto(c.fd.Sysfd, b, sa)
		switch {
		case err == nil:
			return n, nil
		case err != unix.EAGAIN:
			return 0, c.opError(op, to, os.NewSyscallError("sendto", err))
		}
		c.spaceWaits.Add(1)
		afterEAGAIN("send")
		switch c.wr.Wait(seq, c.stops(wake.Stops{Done: c.done, Deadline: c.wdl.Wait()})) {
		case wake.Closed:
			return 0, c.closedError(op)
		case wake.Expired:
			return 0, c.timeoutError(op)
		}
	}
}
