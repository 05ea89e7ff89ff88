package usocket

import (
	"net"
	"os"
	"syscall"
)

// opError returns err in the standard shape for an operation on c: a
// *net.OpError around an *Error carrying the condition class.
func (c *conn) opError(op string, err error) error {
	network, src, dst := c.ends()
	return NewOpError(op, network, src, dst, err)
}

// timeoutError is the error for a deadline or timeout that passed during op.
func (c *conn) timeoutError(op string) error {
	network, src, dst := c.ends()
	return NewTimeoutError(op, network, src, dst)
}

// ends are the network and addresses errors name.
func (c *conn) ends() (network string, src, dst net.Addr) {
	if c.unix != nil {
		return "unix", c.unix.local, c.unix.remote
	}
	if a := c.laddr.Load(); a != nil {
		src = a
	}
	return "tcp", src, c.raddr
}

// syscallError names a bare errno after the system call op; other errors
// (already wrapped) are returned as they are.
func syscallError(op string, err error) error {
	if _, ok := err.(syscall.Errno); ok { //nolint:errorlint // a bare errno, as returned by the system call
		return os.NewSyscallError(op, err)
	}
	return err
}
