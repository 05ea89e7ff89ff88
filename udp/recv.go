package udp

import (
	"net"
	"net/netip"
	"time"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/internal/wake"
)

// Receive is usocket's SOCKET-RECEIVE: it waits for the next datagram and
// copies it into b. n is the number of bytes copied and size the
// datagram's real length, which exceeds n when b was too short (the rest of
// the datagram is discarded; it is never merged with the next one). A
// zero-length datagram gives n = 0 and size = 0. from is the sender.
//
// Receive waits at most until the read deadline and for at most the read
// timeout (SetReadTimeout). On a connected socket whose peer's port is
// closed, the ICMP error the kernel reported for an earlier send comes back
// here, matching usocket.ErrConnectionRefused.
func (c *Conn) Receive(b []byte) (n, size int, from netip.AddrPort, err error) {
	p, err := c.next("read")
	if err != nil {
		return 0, 0, netip.AddrPort{}, err
	}
	n = copy(b, *p.buf)
	bufpool.Put(p.buf)
	return n, p.size, p.from, nil
}

// ReadFrom implements net.PacketConn: it is Receive with the sender as a
// *net.UDPAddr and without the real size.
func (c *Conn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, _, from, err := c.Receive(b)
	if err != nil {
		return 0, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// Read implements net.Conn for a connected socket: it reads one datagram
// from the peer into b (see Receive). On an unconnected socket it fails
// with an error matching ErrNotConnected.
func (c *Conn) Read(b []byte) (int, error) {
	if !c.connected {
		return 0, c.inputError("read", "Read", "socket", c.local, "use Receive or ReadFrom", ErrNotConnected, netip.AddrPort{})
	}
	n, _, _, err := c.Receive(b)
	return n, err
}

// next takes the next packet from the queue, waiting for one if needed.
// A queued socket error is returned as the error.
func (c *Conn) next(op string) (packet, error) {
	if c.responder != nil {
		return packet{}, c.inputError(op, "Receive", "socket", c.local, "has a Responder", ErrResponderSocket, netip.AddrPort{})
	}
	ct := c.rclk.Call(time.Duration(c.readTimeout.Load()))
	defer ct.Done()
	for {
		if c.isDone() {
			return packet{}, c.closedError(op)
		}
		if ct.Passed(&c.rdl) {
			return packet{}, c.timeoutError(op)
		}
		seq := c.rd.Seq() // before looking: a push after it is not lost
		c.mu.Lock()
		if c.q.len() > 0 {
			p := c.q.pop()
			c.resumeLocked()
			c.mu.Unlock()
			if p.err != nil {
				return packet{}, c.opError(op, netip.AddrPort{}, p.err)
			}
			return p, nil
		}
		c.mu.Unlock()
		afterEAGAIN("receive")
		// Expired goes round again: the loop's first checks tell a passed
		// deadline or timeout from the timer the socket's calls share
		// firing for another call (deadline.Clock).
		if c.rd.Wait(seq, c.stops(wake.Stops{Done: c.done, Deadline: c.rdl.Wait(), Timeout: ct.Wait()})) == wake.Closed {
			return packet{}, c.closedError(op)
		}
	}
}
