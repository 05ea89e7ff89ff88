package usocket

import (
	"strconv"

	"github.com/usocket-go/usocket/internal/unix"
)

// Direction says which side of a connection Shutdown closes. Its values are
// usocket's :INPUT, :OUTPUT and :IO.
type Direction int

// The directions for Shutdown.
const (
	// ShutdownRead is :INPUT: no more reading (SHUT_RD).
	ShutdownRead Direction = 1 << iota
	// ShutdownWrite is :OUTPUT: no more writing; the peer reads EOF once
	// what was written is sent (SHUT_WR).
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

// CloseWrite shuts down the write side (SHUT_WR): the kernel sends what
// was written, then the peer reads EOF, and reading goes on (a
// half-close). Later Writes fail with EPIPE, as on a *net.TCPConn.
func (c *Conn) CloseWrite() error {
	err := c.control("close", func(fd int) error {
		if c.wrShut.Load() {
			return nil
		}
		if err := shutdown(fd, unix.SHUT_WR); err != nil {
			return err
		}
		c.wrShut.Store(true)
		return nil
	})
	if err == nil {
		c.wr.Notify() // a Write waiting for room fails now
		c.kick()
	}
	return err
}

// CloseRead shuts down the read side (SHUT_RD): Read returns io.EOF from
// now on, even for bytes already received, and the system stops
// delivering data.
func (c *Conn) CloseRead() error {
	err := c.control("close", func(fd int) error {
		c.rdShut.Store(true)
		return shutdown(fd, unix.SHUT_RD)
	})
	if err == nil {
		c.rd.Notify()
		c.sig.Notify()
		c.kick()
	}
	return err
}
