//go:build unix && !usocket_netstd

package reactor

import (
	"io"

	"github.com/usocket-go/usocket/internal/bufpool"
	"golang.org/x/sys/unix"
)

// sendChunk bounds the memory the portable path stages per region.
const sendChunk = 64 << 10

// sendCopy is the portable path of a file region: it reads a chunk of at
// most sendChunk bytes with pread(2) when none is staged, and writes what
// the socket takes of it; the next call goes on. The staged chunk is not
// counted in the memory limit (WithMemoryLimit): it is bounded per region.
func (s *fileSeg) sendCopy(sock int) (int, error) {
	if s.stage == nil {
		b := bufpool.Get(int(min(s.n, sendChunk)))
		*b = (*b)[:min(s.n, sendChunk)]
		k, err := unix.Pread(s.fd, *b, s.off)
		if k <= 0 {
			bufpool.Put(b)
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		*b = (*b)[:k]
		s.off += int64(k)
		s.stage, s.stageOff = b, 0
	}
	n, err := unix.Write(sock, (*s.stage)[s.stageOff:])
	if n <= 0 {
		return 0, err
	}
	s.stageOff += n
	s.n -= int64(n)
	if s.stageOff == len(*s.stage) {
		bufpool.Put(s.stage)
		s.stage = nil
	}
	return n, nil
}
