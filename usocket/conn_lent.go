package usocket

import (
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/deadline"
	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/reactor"
)

// readOp is a Read's system call as the loop lent to it makes it
// (reactor.Trier): one Read at a time uses a conn's (busy); a Read that
// finds it busy waits the usual way. It lives in the conn so that handing
// it to the loop does not allocate.
type readOp struct {
	busy atomic.Bool
	c    *conn
	b    []byte
	ct   deadline.Call // the Read's timeout, copied in and out around the wait
	n    int
	err  error
	made bool // the call did not fail with EAGAIN: n and err are its result
}

var _ reactor.Trier = (*readOp)(nil)

// Try reads once.
func (o *readOp) Try() bool {
	o.n, o.err = readFD(o.c.fd.Sysfd, o.b)
	if o.err == unix.EAGAIN {
		afterEAGAIN("read")
		return false
	}
	o.made = true
	return true
}

// Stops are those of the Read's wait (conn.stops), with the readable
// edge's count read first.
func (o *readOp) Stops() (*atomic.Uint64, uint64, <-chan struct{}, <-chan struct{}, <-chan struct{}) {
	seq, old := o.c.rd.Counter()
	s := o.c.stops(&o.c.rdl, &o.ct)
	return seq, old, s.Done, s.Deadline, s.Timeout
}

// lent is how a Read on a lent loop ended.
type lent int

const (
	notLent     lent = iota // the loop was not lent (or the op was busy): wait the usual way
	lentMade                // the read was made: n and err are its result
	lentStopped             // a stop ended the wait first: closed, a deadline or timeout, a new deadline
)

// readLent makes Read's system call on the loop lent to it, as a
// *net.TCPConn's Read makes it on the Go poller (reactor.Watcher.PollTry):
// when the call fails with EAGAIN the caller parks on the loop, and its
// wake-up makes the call again.
func (c *conn) readLent(b []byte, ct *deadline.Call) (lent, int, error) {
	w := c.w.Load()
	o := &c.rop
	if w == nil || !o.busy.CompareAndSwap(false, true) {
		return notLent, 0, nil
	}
	defer o.busy.Store(false)
	o.c, o.b, o.ct, o.made = c, b, *ct, false
	ran := w.PollTry(o)
	*ct, o.b = o.ct, nil
	switch {
	case !ran:
		return notLent, 0, nil
	case o.made:
		return lentMade, o.n, o.err
	}
	return lentStopped, 0, nil
}
