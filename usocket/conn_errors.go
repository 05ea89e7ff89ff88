package usocket

import "net"

// opError returns err in the standard shape for an operation on c: a
// *net.OpError around an *Error carrying the condition class.
func (c *conn) opError(op string, err error) error {
	var src net.Addr
	if a := c.laddr.Load(); a != nil {
		src = a
	}
	return NewOpError(op, "tcp", src, c.raddr, err)
}

// timeoutError is the error for a deadline or timeout that passed during op.
func (c *conn) timeoutError(op string) error {
	var src net.Addr
	if a := c.laddr.Load(); a != nil {
		src = a
	}
	return NewTimeoutError(op, "tcp", src, c.raddr)
}
