//go:build !linux

package usocket

import "io"

// spliceFrom is not used off Linux: ReadFrom copies through a buffer.
func (c *Conn) spliceFrom(io.Reader) (int64, bool, error) { return 0, false, nil }

// spliceTo is not used off Linux: WriteTo copies through a buffer.
func (c *Conn) spliceTo(io.Writer) (int64, bool, error) { return 0, false, nil }
