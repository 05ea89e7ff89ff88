//go:build !linux || usocket_netstd

package usocket

import "io"

// spliceFrom is not used off Linux, nor on the net backend (whose
// sockets are handles, not descriptors): ReadFrom copies through a buffer.
func (c *Conn) spliceFrom(io.Reader) (int64, bool, error) { return 0, false, nil }

// spliceTo is not used there either: WriteTo copies through a buffer.
func (c *Conn) spliceTo(io.Writer) (int64, bool, error) { return 0, false, nil }
