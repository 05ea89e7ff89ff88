//go:build !usocket_netstd

package usocket

import (
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/internal/wake"
)

// maxSplice is the most one splice(2) asks to move, and the size asked
// of each transfer's pipe, as in internal/poll.
const maxSplice = 1 << 20

// splicePipe is the pipe a splice between two sockets goes through: the
// kernel moves pages from the source into it and from it to the
// destination, never through user space. Each transfer makes its own and
// closes it (two descriptors for the length of one ReadFrom or WriteTo),
// so no descriptor outlives the call.
type splicePipe struct{ r, w int }

// newSplicePipe makes a non-blocking, close-on-exec pipe of maxSplice
// bytes (a smaller one, if the system refuses, only costs more calls).
func newSplicePipe() (splicePipe, error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return splicePipe{}, err
	}
	_, _ = unix.FcntlInt(uintptr(fds[0]), unix.F_SETPIPE_SZ, maxSplice)
	return splicePipe{r: fds[0], w: fds[1]}, nil
}

func (p splicePipe) close() {
	_ = unix.Close(p.r)
	_ = unix.Close(p.w)
}

// splice moves up to limit bytes from in to out without blocking on the
// pipe end, retrying on EINTR. Errors are bare errnos.
func splice(in, out, limit int) (int, error) {
	for {
		n, err := unix.Splice(in, nil, out, nil, limit, unix.SPLICE_F_MOVE|unix.SPLICE_F_NONBLOCK)
		if err != unix.EINTR {
			return int(n), err
		}
	}
}

// spliceSource fills a transfer's pipe from where the bytes come from,
// waiting for it as its owner does.
type spliceSource interface {
	// fill moves up to limit bytes into the pipe's write end w and returns
	// how many; 0 and nil at the end of the stream. It blocks while the
	// source has nothing, within the source's read deadline.
	fill(w, limit int) (int, error)
}

// connSource is a Conn as a splice source. Waiting for it is the wake-up
// protocol of Read (announce, re-check, park on the read edge), bounded by
// its read deadline and read timeout, its closing, and the destination
// closing (cancel), so that closing either end unparks the transfer.
type connSource struct {
	s      *conn
	ct     deadline.Call
	cancel <-chan struct{} // the destination Conn's done channel, or nil
	onStop func() error    // the error for a wait ended by cancel
}

func (cs *connSource) fill(w, limit int) (int, error) {
	s := cs.s
	for {
		if s.rdShut.Load() {
			return 0, nil
		}
		if cs.ct.Passed(&s.rdl) {
			return 0, s.timeoutError("read")
		}
		seq := s.rd.Seq()
		n, err := splice(s.fd.Sysfd, w, limit)
		switch {
		case err == nil:
			return n, nil
		case err != unix.EAGAIN:
			return 0, s.opError("read", os.NewSyscallError("splice", err))
		}
		afterEAGAIN("splice")
		r := untilDue(&s.rdl, &cs.ct, func() wake.Result {
			st := s.stops(&s.rdl, &cs.ct)
			st.Cancel = cs.cancel
			return s.rd.Wait(seq, st)
		})
		switch r {
		case wake.Ready:
		case wake.Canceled:
			return 0, cs.onStop()
		default:
			return 0, s.waitError(r, "read")
		}
	}
}

// acquireConnSource takes a reference on s's descriptor for a transfer;
// ok is false once s is closing (then its own Read reports that).
func acquireConnSource(s *Conn) (cs *connSource, release func(), ok bool) {
	if !s.fd.Acquire() {
		return nil, nil, false
	}
	cs = &connSource{s: s.conn, ct: s.rclk.Call(time.Duration(s.rto.Load()))}
	return cs, func() { cs.ct.Done(); s.fd.Release() }, true
}

// rawSource is a standard-library socket or a pipe as a splice source:
// its RawConn's Read waits in the Go runtime's poller, within its own
// read deadline, as net's splice does.
type rawSource struct{ rc syscall.RawConn }

func (rs rawSource) fill(w, limit int) (n int, err error) {
	var serr error
	rerr := rs.rc.Read(func(fd uintptr) bool {
		n, serr = splice(int(fd), w, limit)
		return serr != unix.EAGAIN
	})
	switch {
	case rerr != nil:
		return 0, rerr
	case serr != nil:
		return 0, os.NewSyscallError("splice", serr)
	}
	return n, nil
}

// rawDest is a standard-library socket, a pipe or a regular file as a
// splice destination; its RawConn's Write waits in the Go runtime's
// poller, within its own write deadline.
type rawDest struct{ rc syscall.RawConn }

// empty moves the n bytes in the pipe's read end r to the destination and
// returns how many it moved.
func (rd rawDest) empty(r, n int) (moved int, err error) {
	var serr error
	werr := rd.rc.Write(func(fd uintptr) bool {
		for moved < n {
			k, e := splice(r, int(fd), n-moved)
			moved += max(k, 0)
			if e != nil {
				serr = e
				return e != unix.EAGAIN
			}
		}
		serr = nil
		return true
	})
	switch {
	case werr != nil:
		return moved, werr
	case serr != nil:
		return moved, os.NewSyscallError("splice", serr)
	}
	return moved, nil
}

// spliceFrom is ReadFrom's splice path: from a Conn, a *net.TCPConn, a
// stream *net.UnixConn or a non-blocking pipe (or an *io.LimitedReader
// around one), through a pipe, to c. handled is false when r is none of
// those or no pipe could be made, and nothing was moved.
func (c *Conn) spliceFrom(r io.Reader) (written int64, handled bool, err error) {
	remain := int64(1<<63 - 1)
	lr, _ := r.(*io.LimitedReader)
	if lr != nil {
		remain, r = lr.N, lr.R
		if remain <= 0 {
			return 0, false, nil
		}
	}
	src, release, ok := c.sourceOf(r)
	if !ok {
		return 0, false, nil
	}
	defer release()
	p, perr := newSplicePipe()
	if perr != nil {
		return 0, false, nil
	}
	defer p.close()
	inPipe := 0
	err = c.writeWith("readfrom", func(fd int) (bool, error) {
		if inPipe == 0 {
			if remain == 0 {
				return true, nil
			}
			n, err := src.fill(p.w, int(min(remain, maxSplice)))
			if err != nil || n == 0 {
				return err == nil, err
			}
			inPipe, remain = n, remain-int64(n)
		}
		k, err := splice(p.r, fd, inPipe)
		if k > 0 {
			inPipe -= k
			written += int64(k)
		}
		if err != nil {
			return false, err
		}
		return inPipe == 0 && remain == 0, nil
	})
	if lr != nil {
		lr.N -= written
	}
	return written, true, err
}

// sourceOf returns r as a splice source for a transfer to c, with what to
// call when it is over.
func (c *Conn) sourceOf(r io.Reader) (spliceSource, func(), bool) {
	if s, ok := r.(*Conn); ok {
		cs, release, ok := acquireConnSource(s)
		if !ok {
			return nil, nil, false
		}
		cs.cancel = c.done
		cs.onStop = func() error { return c.opError("readfrom", net.ErrClosed) }
		return cs, release, true
	}
	rc, ok := rawConnOf(r, true)
	if !ok {
		return nil, nil, false
	}
	return rawSource{rc}, func() {}, true
}

// spliceTo is WriteTo's splice path: from c, through a pipe, to a Conn,
// a *net.TCPConn, a stream *net.UnixConn, a non-blocking pipe or a
// regular file not opened for appending. handled is false when w is none
// of those or no pipe could be made, and nothing was moved.
func (c *Conn) spliceTo(w io.Writer) (written int64, handled bool, err error) {
	if d, ok := w.(*Conn); ok {
		return d.spliceFrom(c)
	}
	rc, ok := rawConnOf(w, false)
	if !ok {
		return 0, false, nil
	}
	src, release, ok := acquireConnSource(c)
	if !ok {
		return 0, false, nil
	}
	defer release()
	p, perr := newSplicePipe()
	if perr != nil {
		return 0, false, nil
	}
	defer p.close()
	dst := rawDest{rc}
	for {
		n, err := src.fill(p.w, maxSplice)
		if err != nil || n == 0 {
			return written, true, err
		}
		k, err := dst.empty(p.r, n)
		written += int64(k)
		if err != nil {
			return written, true, c.opError("writeto", err)
		}
	}
}
