package usocket

import (
	"io"
	"sync/atomic"
)

// WriteTo implements io.WriterTo, so io.Copy(w, conn) takes the fast path
// that *net.TCPConn has: on Linux, to another Conn, a *net.TCPConn, a
// stream *net.UnixConn, a non-blocking pipe or a regular file (not opened
// for appending) the bytes move with splice(2) through a pipe, without a
// copy through user space; to anything else they are copied through a
// buffer. It reads until EOF. While c has nothing to read it waits as Read
// does, within c's read deadline and read timeout; while the destination
// is full it waits as the destination's own writes do (for a Conn, within
// its write deadline and timeout). Closing either end unparks it (a
// standard-library destination: when its own wait ends, as with
// *net.TCPConn). On an error the count says how much reached w.
func (c *Conn) WriteTo(w io.Writer) (int64, error) {
	if n, handled, err := c.spliceTo(w); handled {
		spliced()
		return n, err
	}
	return io.Copy(w, readerOnly{c})
}

var _ io.WriterTo = (*Conn)(nil)

// readerOnly hides Conn's WriteTo from io.Copy, which would call it again.
type readerOnly struct{ io.Reader }

// testHookSplice, set only by tests, hears of every ReadFrom or WriteTo
// that took the splice path.
var testHookSplice atomic.Pointer[func()]

func spliced() {
	if h := testHookSplice.Load(); h != nil {
		(*h)()
	}
}
