//go:build unix && !linux && !usocket_netstd

package reactor

// send sends a file region through the portable path: there is no
// sendfile(2) with Linux's semantics here.
func (s *fileSeg) send(sock int) (int, error) { return s.sendCopy(sock) }
