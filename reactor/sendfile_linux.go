//go:build !usocket_netstd

package reactor

import (
	"io"

	"golang.org/x/sys/unix"
)

// maxSendfile bounds one sendfile(2) call (Linux moves at most 0x7ffff000
// bytes per call anyway).
const maxSendfile = 1 << 30

// testSendFileCopy, set only by tests, makes Linux take the portable path
// (sendCopy), so that it is tested here too.
var testSendFileCopy bool

// send sends what the socket takes of the region with one sendfile(2)
// and returns how many bytes went; a bare errno on failure, and
// io.ErrUnexpectedEOF when the file ends early.
func (s *fileSeg) send(sock int) (int, error) {
	if testSendFileCopy {
		return s.sendCopy(sock)
	}
	n, err := unix.Sendfile(sock, s.fd, &s.off, int(min(s.n, maxSendfile)))
	if n > 0 {
		s.n -= int64(n)
		return n, err
	}
	if err == nil {
		return 0, io.ErrUnexpectedEOF
	}
	return 0, err
}
