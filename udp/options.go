package udp

import (
	"net/netip"
	"os"
	"time"

	"github.com/usocket-go/usocket/internal/unix"
)

// SetReadTimeout sets usocket's receive timeout (socket option
// :RECEIVE-TIMEOUT): from now on each blocking Receive, ReadFrom or Read
// fails with a timeout error after waiting d, or earlier at the read
// deadline. 0 removes it; a negative d is an error.
func (c *Conn) SetReadTimeout(d time.Duration) error {
	if d < 0 {
		return c.inputError("set", "SetReadTimeout", "timeout", d, "negative", nil, netip.AddrPort{})
	}
	if c.isDone() {
		return c.closedError("set")
	}
	c.readTimeout.Store(int64(d))
	return nil
}

// ReadTimeout returns the receive timeout set by SetReadTimeout or
// Config.ReadTimeout.
func (c *Conn) ReadTimeout() time.Duration { return time.Duration(c.readTimeout.Load()) }

// SetBroadcast sets SO_BROADCAST, which allows sending to broadcast
// addresses (usocket's :BROADCAST socket option).
func (c *Conn) SetBroadcast(on bool) error {
	return c.setInt("SO_BROADCAST", unix.SO_BROADCAST, boolInt(on))
}

// Broadcast reports whether SO_BROADCAST is set.
func (c *Conn) Broadcast() (bool, error) {
	v, err := c.getInt("SO_BROADCAST", unix.SO_BROADCAST)
	return v != 0, err
}

// SetReadBuffer sets the kernel's receive buffer size (SO_RCVBUF).
func (c *Conn) SetReadBuffer(bytes int) error {
	return c.setInt("SO_RCVBUF", unix.SO_RCVBUF, bytes)
}

// SetWriteBuffer sets the kernel's send buffer size (SO_SNDBUF).
func (c *Conn) SetWriteBuffer(bytes int) error {
	return c.setInt("SO_SNDBUF", unix.SO_SNDBUF, bytes)
}

// Control calls f with the socket's descriptor, which stays open until f
// returns. f must not close it, nor read from it (the event loop owns
// reading); it may set options.
func (c *Conn) Control(f func(fd uintptr)) error {
	if !c.fd.Acquire() {
		return c.closedError("control")
	}
	defer c.fd.Release()
	var err error
	c.fd.RunUser(func(fd int) { err = rawControl(fd, f) })
	return err
}

func (c *Conn) setInt(name string, opt, v int) error {
	if !c.fd.Acquire() {
		return c.closedError("set")
	}
	defer c.fd.Release()
	var err error
	if cerr := rawControl(c.fd.Sysfd, func(fd uintptr) { err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, v) }); cerr != nil {
		return c.opError("set", netip.AddrPort{}, cerr)
	}
	if err != nil {
		return c.opError("set", netip.AddrPort{}, os.NewSyscallError("setsockopt "+name, err))
	}
	return nil
}

func (c *Conn) getInt(name string, opt int) (int, error) {
	if !c.fd.Acquire() {
		return 0, c.closedError("get")
	}
	defer c.fd.Release()
	var v int
	var err error
	if cerr := rawControl(c.fd.Sysfd, func(fd uintptr) { v, err = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, opt) }); cerr != nil {
		return 0, c.opError("get", netip.AddrPort{}, cerr)
	}
	if err != nil {
		return 0, c.opError("get", netip.AddrPort{}, os.NewSyscallError("getsockopt "+name, err))
	}
	return v, nil
}
