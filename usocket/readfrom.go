package usocket

import (
	"io"
	"io/fs"
	"sync/atomic"
	"syscall"
)

// ReadFrom implements io.ReaderFrom, so io.Copy(conn, r) takes the fast
// paths that *net.TCPConn has. On Linux, from a regular file (an *os.File,
// or an *io.LimitedReader around one) it sends with sendfile(2), the bytes
// going from the page cache to the socket without a copy through user
// space; from another Conn, a *net.TCPConn, a stream *net.UnixConn or a
// non-blocking pipe (or an *io.LimitedReader around one) it moves them
// with splice(2) through a pipe, reading until EOF; from anything else it
// copies through a buffer. While the socket is full it waits as Write
// does: the write deadline, the write timeout and other Writes apply.
// While the source has nothing it waits as the source's own reads do, in
// its read deadline (for a Conn source, also its read timeout); closing c
// or a Conn source unparks it with net.ErrClosed (a standard-library
// source: when its own wait ends, as with *net.TCPConn). On an error the
// count says how much was sent.
func (c *Conn) ReadFrom(r io.Reader) (int64, error) {
	f, remain := fileOf(r)
	if f != nil {
		if n, handled, err := c.sendFile(f, remain); handled {
			if h := testHookSendFile.Load(); h != nil {
				(*h)()
			}
			if lr, ok := r.(*io.LimitedReader); ok {
				lr.N -= n
			}
			return n, err
		}
	}
	if n, handled, err := c.spliceFrom(r); handled {
		spliced()
		return n, err
	}
	return io.Copy(writerOnly{c}, r)
}

// file is what sendFile needs of a file: its descriptor and its kind.
// *os.File has both, and so has the wrapper os.File.WriteTo hands to
// io.Copy (io.Copy(conn, file) calls file.WriteTo, which, not knowing our
// Conn, copies through ReadFrom with the *os.File inside a wrapper).
type file interface {
	syscall.Conn
	Stat() (fs.FileInfo, error)
}

// fileOf returns the regular file behind r, with how many bytes to send
// from its offset (-1: to its end).
func fileOf(r io.Reader) (file, int64) {
	remain := int64(-1)
	if lr, ok := r.(*io.LimitedReader); ok {
		remain, r = lr.N, lr.R
		if remain <= 0 {
			return nil, 0
		}
	}
	f, ok := r.(file)
	if !ok {
		return nil, 0
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, 0
	}
	return f, remain
}

var _ io.ReaderFrom = (*Conn)(nil)

// testHookSendFile, set only by tests, hears of every ReadFrom that took
// the zero-copy path.
var testHookSendFile atomic.Pointer[func()]

// writerOnly hides Conn's ReadFrom from io.Copy, which would call it
// again.
type writerOnly struct{ io.Writer }
