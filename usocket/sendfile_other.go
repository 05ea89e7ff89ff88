//go:build !linux || usocket_netstd

package usocket

// sendFile is not used off Linux, nor on the net backend: ReadFrom copies
// through a buffer.
func (c *Conn) sendFile(file, int64) (int64, bool, error) { return 0, false, nil }
