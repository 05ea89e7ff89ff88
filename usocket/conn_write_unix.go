//go:build unix

package usocket

import (
	"os"

	"golang.org/x/sys/unix"
)

// directWrite is the fast path of Write: while nothing is queued on the
// event loop, the calling goroutine writes to the non-blocking socket
// itself, which spares two thread hand-offs per message. What the kernel
// does not take at once is queued on the loop as usual. Order is kept
// because the loop has nothing of ours left to send (Buffered is 0) and
// Writes are serialised by c.wmu, which the caller holds; the fields below
// are guarded by it too.
type directWrite struct {
	p   []byte
	n   int
	err error
	fn  func(fd uintptr) // c.doDirectWrite, bound once
}

func (c *Conn) doDirectWrite(fd uintptr) {
	w := &c.dw
	for {
		n, err := unix.Write(int(fd), w.p)
		if err == unix.EINTR {
			continue
		}
		if n > 0 {
			w.n = n
		}
		if err != nil && err != unix.EAGAIN {
			w.err = os.NewSyscallError("write", err)
		}
		return
	}
}

// writeDirect writes what the kernel takes of p now, without blocking.
func (c *Conn) writeDirect(p []byte) (int, error) {
	w := &c.dw
	w.p, w.n, w.err = p, 0, nil
	err := c.rc.Control(w.fn)
	n, werr := w.n, w.err
	w.p, w.err = nil, nil
	if err != nil {
		return 0, c.writeError()
	}
	if werr != nil {
		return n, c.opError("write", werr)
	}
	return n, nil
}
