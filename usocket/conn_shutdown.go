package usocket

import (
	"net"
	"os"
	"strconv"
	"syscall"
)

// Direction says which side of a connection Shutdown closes. Its values are
// usocket's :INPUT, :OUTPUT and :IO.
type Direction int

// The directions for Shutdown.
const (
	// ShutdownRead is :INPUT: no more reading (SHUT_RD).
	ShutdownRead Direction = 1 << iota
	// ShutdownWrite is :OUTPUT: no more writing; the peer reads EOF once
	// queued output is sent (SHUT_WR).
	ShutdownWrite
	// ShutdownBoth is :IO: both (SHUT_RDWR).
	ShutdownBoth = ShutdownRead | ShutdownWrite
)

// String returns "read", "write" or "both".
func (d Direction) String() string {
	switch d {
	case ShutdownRead:
		return "read"
	case ShutdownWrite:
		return "write"
	case ShutdownBoth:
		return "both"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

// Shutdown shuts down one or both directions of the connection without
// closing it; it is the Go form of usocket's SOCKET-SHUTDOWN. Unlike
// usocket's, shutting down the write side first sends what was written.
// Shutting down a side twice is not an error. A Direction other than the
// three constants gives an *InputError.
func (c *Conn) Shutdown(dir Direction) error {
	switch dir {
	case ShutdownRead:
		return c.CloseRead()
	case ShutdownWrite:
		return c.CloseWrite()
	case ShutdownBoth:
		if err := c.CloseRead(); err != nil {
			return err
		}
		return c.CloseWrite()
	}
	return &InputError{Op: "Shutdown", Arg: "direction", Value: int(dir), Reason: "want ShutdownRead, ShutdownWrite or ShutdownBoth"}
}

// CloseWrite shuts down the write side once the queued output is sent: the
// peer reads EOF, and reading goes on (a half-close). Later Writes fail
// with EPIPE, as on a *net.TCPConn.
func (c *Conn) CloseWrite() error {
	c.mu.Lock()
	closed, gone := c.closed, c.gone
	c.wrShut = true
	c.mu.Unlock()
	switch {
	case closed:
		return c.opError("close", net.ErrClosed)
	case gone:
		return c.opError("close", os.NewSyscallError("shutdown", syscall.ENOTCONN))
	}
	if err := c.rc.CloseWrite(); err != nil {
		return c.causeError("close", err)
	}
	signal(c.wready) // a Write waiting for room fails now
	return nil
}

// CloseRead shuts down the read side: buffered input is dropped, Read
// returns io.EOF, and the system stops delivering data.
func (c *Conn) CloseRead() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.opError("close", net.ErrClosed)
	}
	if c.gone {
		c.mu.Unlock()
		return c.opError("close", os.NewSyscallError("shutdown", syscall.ENOTCONN))
	}
	c.rdShut = true
	c.rq.reset()
	if c.paused {
		c.paused = false
		_ = c.rc.ResumeRead() // let the loop see the shutdown (a read of 0)
	}
	c.mu.Unlock()
	err := c.control("shutdown", func(fd int) error { return shutdownRead(fd) })
	c.notifyRead()
	return err
}
