package reactor

import (
	"errors"
	"fmt"
	"os"

	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/internal/unix"
)

// ErrFileRegion is returned by SendFile for a file region that cannot be
// sent: a nil or non-regular file, a negative offset or length, or a
// region past the file's end.
var ErrFileRegion = errors.New("reactor: bad file region")

// errLayered is SendFile's error on a layered connection (reactortls):
// sendfile would put the file's bytes on the wire past the layer, in the
// clear.
var errLayered = fmt.Errorf("reactor: SendFile on a layered (TLS) connection: %w", errors.ErrUnsupported)

// SendFile queues n bytes of f, from offset off, behind the output already
// queued by Write, WriteDirect or SendFile, and returns nil once they are
// queued; Writes made after it go out after them. When the region reaches
// the head of the queue the loop sends it with sendfile(2) on Linux, from
// the page cache to the socket without a copy through user space;
// elsewhere it reads it in chunks of at most 64 KiB and writes them.
// The region counts toward Buffered and the write water marks from now on;
// CloseWrite and Close flush it like other queued output.
//
// f stays the caller's: SendFile duplicates its descriptor, so the caller
// may close f at once. The duplicate is closed when the region has been
// sent or the connection ends. f's offset is neither used nor moved. A
// file that shrinks before the region is sent closes the connection with
// an error matching io.ErrUnexpectedEOF.
//
// It returns ErrFileRegion for a bad region, ErrWriteClosed after
// CloseWrite, ErrClosed after Close or Abort, and an error matching
// errors.ErrUnsupported on a layered connection (reactortls: the bytes
// would bypass encryption; Write them instead) and on Windows, where no
// loop runs. n == 0 queues
// nothing. Safe from any goroutine.
func (c *Conn) SendFile(f *os.File, off, n int64) error {
	if f == nil || off < 0 || n < 0 {
		return ErrFileRegion
	}
	if c.layer != nil {
		return errLayered
	}
	if errNoSendFile != nil {
		return errNoSendFile
	}
	c.mu.Lock()
	closed := c.wclosed
	c.mu.Unlock()
	if closed {
		return c.closedWriteErr()
	}
	if n == 0 {
		return nil
	}
	seg, err := newFileSeg(f, off, n)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.wclosed {
		err := c.writeClosedErr()
		c.mu.Unlock()
		seg.close()
		return err
	}
	if c.out != nil && len(*c.out) > 0 { // what was written before goes first
		c.pend = append(c.pend, pendingOut{buf: c.out})
		c.out = nil
	}
	c.pend = append(c.pend, pendingOut{file: seg})
	c.queued.Add(n)
	c.mu.Unlock()
	return c.schedule()
}

// closedWriteErr is writeClosedErr taking c.mu.
func (c *Conn) closedWriteErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writeClosedErr()
}

// pendingOut is output queued by the application behind a file region,
// in order, not yet taken by the loop: a buffer or a file region.
type pendingOut struct {
	buf  *[]byte
	file *fileSeg
}

// takePending moves the pending output into the out queue and returns how
// many bytes of memory it moved. Called with c.mu held.
func (c *Conn) takePending() int {
	n := 0
	for i, p := range c.pend {
		if p.buf != nil {
			n += len(*p.buf)
			c.wq.push(p.buf)
		} else {
			c.wq.pushFile(p.file)
		}
		c.pend[i] = pendingOut{}
	}
	c.pend = c.pend[:0]
	return n
}

// dropPending releases the pending output of a connection that ended.
// Called with c.mu held.
func (c *Conn) dropPending() {
	for i, p := range c.pend {
		if p.buf != nil {
			bufpool.Put(p.buf)
		} else {
			p.file.close()
		}
		c.pend[i] = pendingOut{}
	}
	c.pend = nil
}

// fileSeg is a file region in the out queue: its own descriptor (a
// duplicate), the next offset to send from and the bytes left.
type fileSeg struct {
	fd    int
	off   int64
	n     int64
	after uint64 // the queue's buffers pushed before it (outQueue.pushed)

	// The portable path's chunk read from the file and not yet sent.
	stage    *[]byte
	stageOff int
}

// newFileSeg checks the region against f and duplicates f's descriptor.
func newFileSeg(f *os.File, off, n int64) (*fileSeg, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || off > st.Size() || n > st.Size()-off {
		return nil, ErrFileRegion
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd, derr := -1, error(nil)
	if err := rc.Control(func(s uintptr) { fd, derr = dupFD(int(s)) }); err != nil {
		return nil, err
	}
	if derr != nil {
		return nil, derr
	}
	return &fileSeg{fd: fd, off: off, n: n}, nil
}

// close releases the region's descriptor and staged chunk.
func (s *fileSeg) close() {
	_ = unix.Close(s.fd)
	bufpool.Put(s.stage)
	s.stage = nil
}
