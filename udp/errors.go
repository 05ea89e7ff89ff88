package udp

import (
	"errors"
	"net"
	"net/netip"

	"github.com/usocket-go/usocket/usocket"
)

// ErrDatagramTooLarge is matched (with errors.Is) by the error of a send of
// more than [MaxDatagramSize] bytes. The check is made before any system
// call; such errors also match usocket.ErrInvalidArgument.
var ErrDatagramTooLarge = errors.New("udp: datagram larger than MaxDatagramSize")

// ErrNotConnected is matched by the error of Read or Write on a socket that
// has no fixed peer (one made by Listen); use Receive and Send, or ReadFrom
// and WriteTo, on such sockets. Such errors also match
// usocket.ErrInvalidArgument.
var ErrNotConnected = errors.New("udp: socket is not connected")

// ErrResponderSocket is matched by the error of a receive on a socket whose
// datagrams go to a [Responder].
var ErrResponderSocket = errors.New("udp: datagrams go to the socket's Responder")

// network is the Net field of every *net.OpError this package returns.
const network = "udp"

// opError builds the standard error shape (*net.OpError around a
// *usocket.Error around err) for an operation on c.
func (c *conn) opError(op string, to netip.AddrPort, err error) error {
	return usocket.NewOpError(op, network, net.UDPAddrFromAddrPort(c.local), c.peerAddr(to), err)
}

// closedError is the error of any call on a closed Conn.
func (c *conn) closedError(op string) error {
	return c.opError(op, netip.AddrPort{}, net.ErrClosed)
}

// timeoutError is the error of a call whose deadline passed.
func (c *conn) timeoutError(op string) error {
	return usocket.NewTimeoutError(op, network, net.UDPAddrFromAddrPort(c.local), c.peerAddr(netip.AddrPort{}))
}

// inputError reports bad input for op in the standard shape. The
// *usocket.InputError matches usocket.ErrInvalidArgument and cause.
func (c *conn) inputError(op, fn, arg string, v any, reason string, cause error, to netip.AddrPort) error {
	return &net.OpError{Op: op, Net: network, Source: net.UDPAddrFromAddrPort(c.local), Addr: c.peerAddr(to),
		Err: &usocket.InputError{Op: fn, Arg: arg, Value: v, Reason: reason, Err: cause}}
}

// peerAddr is the address to name in an error: to, or the connected peer.
func (c *conn) peerAddr(to netip.AddrPort) net.Addr {
	if to.IsValid() {
		return net.UDPAddrFromAddrPort(to)
	}
	if c.connected {
		return net.UDPAddrFromAddrPort(c.remote)
	}
	return nil
}
