package usocket

import "syscall"

// SyscallConn returns a raw view of the socket, for socket options that
// this package does not cover (usocket's SOCKET, the descriptor). Only its
// Control method works: the Conn's Read and Write do the descriptor's
// I/O and rely on an event loop's readiness reports, so its Read and Write
// methods return an *ImplementationError matching
// ErrUnsupported inside a *net.OpError. The function given to Control must
// not block or keep the descriptor.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	if err := c.deadlineCheck(); err != nil {
		return nil, err
	}
	return rawConn{c}, nil
}

type rawConn struct{ c *Conn }

// Control calls f with the descriptor while it is guaranteed open.
func (r rawConn) Control(f func(fd uintptr)) error {
	return r.c.control("raw-control", func(fd int) error { return rawControl(fd, f) })
}

// Read is not supported: Conn.Read owns the descriptor's reads.
func (r rawConn) Read(func(fd uintptr) bool) error {
	return r.c.opError("raw-read", &ImplementationError{Kind: ErrUnsupported, Feature: "RawConn.Read", Context: "Conn.SyscallConn"})
}

// Write is not supported: Conn.Write owns the descriptor's writes.
func (r rawConn) Write(func(fd uintptr) bool) error {
	return r.c.opError("raw-write", &ImplementationError{Kind: ErrUnsupported, Feature: "RawConn.Write", Context: "Conn.SyscallConn"})
}
