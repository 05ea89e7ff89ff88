package usocket

import "net"

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
