package usocket

import (
	"fmt"
	"net"
	"time"
)

// Typed socket options of a Conn. They are the Go form of usocket's
// SOCKET-OPTION and (SETF SOCKET-OPTION); Option and SetOption do the same
// by name. Every call after Close returns an error matching net.ErrClosed.

// SetNoDelay sets TCP_NODELAY (usocket's :TCP-NODELAY). When on, which is
// the default for both dialled and accepted connections, small writes are
// sent at once instead of being coalesced (Nagle's algorithm).
func (c *Conn) SetNoDelay(on bool) error { return c.setInt("set", optNoDelay, boolInt(on)) }

// NoDelay reports whether TCP_NODELAY is on.
func (c *Conn) NoDelay() (bool, error) { return c.getBool(optNoDelay) }

// SetKeepAlive sets SO_KEEPALIVE (usocket's :TCP-KEEPALIVE). It is off by
// default, as in usocket (Dialer.KeepAlive turns it on at connect time).
func (c *Conn) SetKeepAlive(on bool) error { return c.setInt("set", optKeepAlive, boolInt(on)) }

// KeepAlive reports whether SO_KEEPALIVE is on.
func (c *Conn) KeepAlive() (bool, error) { return c.getBool(optKeepAlive) }

// SetReadBuffer sets the kernel's receive buffer size (SO_RCVBUF), as on a
// *net.TCPConn; it replaces the ReadBufferLimit the Conn was made with.
func (c *Conn) SetReadBuffer(bytes int) error {
	if bytes < 0 {
		return &InputError{Op: "SetReadBuffer", Arg: "bytes", Value: bytes, Reason: "negative"}
	}
	return c.setInt("set", optRcvBuf, bytes)
}

// SetWriteBuffer sets the kernel's send buffer size (SO_SNDBUF), as on a
// *net.TCPConn.
func (c *Conn) SetWriteBuffer(bytes int) error {
	if bytes < 0 {
		return &InputError{Op: "SetWriteBuffer", Arg: "bytes", Value: bytes, Reason: "negative"}
	}
	return c.setInt("set", optSndBuf, bytes)
}

// SetReadTimeout sets usocket's :RECEIVE-TIMEOUT: each Read that waits
// longer than d for data fails with a timeout error, as if a deadline had
// passed. It bounds every call on its own and never pushes the read
// deadline later: a Read ends at whichever comes first. 0 removes it; a
// negative d gives an *InputError; after Close the error matches
// net.ErrClosed.
func (c *Conn) SetReadTimeout(d time.Duration) error {
	if d < 0 {
		return &InputError{Op: "SetReadTimeout", Arg: "timeout", Value: d, Reason: "negative"}
	}
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.rto.Store(int64(d))
	return nil
}

// ReadTimeout returns the timeout set by SetReadTimeout.
func (c *Conn) ReadTimeout() time.Duration { return time.Duration(c.rto.Load()) }

// SetWriteTimeout sets usocket's :SEND-TIMEOUT: each Write that waits
// longer than d for room in the socket's send buffer fails with a timeout
// error.
// Unlike on SBCL it is separate from the receive timeout, and it works.
// 0 removes it; a negative d gives an *InputError.
func (c *Conn) SetWriteTimeout(d time.Duration) error {
	if d < 0 {
		return &InputError{Op: "SetWriteTimeout", Arg: "timeout", Value: d, Reason: "negative"}
	}
	if err := c.deadlineCheck(); err != nil {
		return err
	}
	c.wto.Store(int64(d))
	return nil
}

// WriteTimeout returns the timeout set by SetWriteTimeout.
func (c *Conn) WriteTimeout() time.Duration { return time.Duration(c.wto.Load()) }

// Option returns the value of a socket option by usocket's name:
// time.Duration for OptionReceiveTimeout and OptionSendTimeout, bool for
// OptionTCPNoDelay and OptionTCPKeepAlive. Other names, including options
// of other socket kinds (OptionReuseAddress, OptionBroadcast), give an
// *ImplementationError matching ErrUnimplemented, as usocket does.
func (c *Conn) Option(name OptionName) (any, error) {
	if err := c.deadlineCheck(); err != nil {
		return nil, err
	}
	n, err := ParseOptionName(string(name))
	if err != nil {
		return nil, err
	}
	switch n {
	case OptionReceiveTimeout:
		return c.ReadTimeout(), nil
	case OptionSendTimeout:
		return c.WriteTimeout(), nil
	case OptionTCPNoDelay:
		return c.NoDelay()
	case OptionTCPKeepAlive:
		return c.KeepAlive()
	}
	return nil, unimplementedOption(name, "Conn.Option")
}

// SetOption sets a socket option by usocket's name; v has the type that
// Option returns for that name, else the error is an *InputError. Unknown
// names and options of other socket kinds give an *ImplementationError
// matching ErrUnimplemented.
func (c *Conn) SetOption(name OptionName, v any) error {
	n, err := ParseOptionName(string(name))
	if err != nil {
		return err
	}
	switch n {
	case OptionReceiveTimeout, OptionSendTimeout:
		d, ok := v.(time.Duration)
		if !ok {
			return optionTypeError(n, v, "time.Duration")
		}
		if n == OptionReceiveTimeout {
			return c.SetReadTimeout(d)
		}
		return c.SetWriteTimeout(d)
	case OptionTCPNoDelay, OptionTCPKeepAlive:
		on, ok := v.(bool)
		if !ok {
			return optionTypeError(n, v, "bool")
		}
		if n == OptionTCPNoDelay {
			return c.SetNoDelay(on)
		}
		return c.SetKeepAlive(on)
	}
	return unimplementedOption(name, "Conn.SetOption")
}

func unimplementedOption(name OptionName, context string) error {
	return &ImplementationError{Kind: ErrUnimplemented, Feature: string(name), Context: context}
}

func optionTypeError(n OptionName, v any, want string) error {
	return &InputError{Op: "SetOption", Arg: string(n), Value: fmt.Sprintf("%T", v), Reason: "want a " + want}
}

func (c *Conn) setInt(op string, o sockopt, v int) error {
	return c.control(op, func(fd int) error { return o.set(fd, v) })
}

func (c *Conn) getBool(o sockopt) (bool, error) {
	var v int
	err := c.control("get", func(fd int) (err error) {
		v, err = o.get(fd)
		return err
	})
	return v != 0, err
}

// control runs f on the open descriptor, releasing it even if f panics;
// after Close it fails with net.ErrClosed inside a *net.OpError.
func (c *Conn) control(op string, f func(fd int) error) error {
	if !c.fd.Acquire() {
		return c.opError(op, net.ErrClosed)
	}
	defer c.fd.Release()
	var err error
	c.fd.RunUser(func(fd int) { err = f(fd) })
	if err != nil {
		return c.opError(op, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
