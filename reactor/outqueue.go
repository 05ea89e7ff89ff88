package reactor

import (
	"github.com/usocket-go/usocket/internal/bufpool"
	"github.com/usocket-go/usocket/internal/unix"
)

// maxIov bounds the buffers handed to one writev.
const maxIov = 64

// outQueue is a connection's outbound bytes that the loop has taken from
// the application, as the buffers they were written into: taking more
// output appends a buffer, never copies bytes, and a flush sends several
// buffers with one writev. Owned by the loop.
type outQueue struct {
	bufs   []*[]byte
	off    int        // bytes of bufs[0] already sent
	inline [2]*[]byte // backing for short queues, so steady state does not allocate
}

func (q *outQueue) empty() bool { return len(q.bufs) == 0 }

// size counts the bytes queued; it walks the queue.
func (q *outQueue) size() int {
	n := -q.off
	for _, b := range q.bufs {
		n += len(*b)
	}
	return n
}

// push appends a buffer; the queue owns it from now on.
func (q *outQueue) push(b *[]byte) {
	if q.bufs == nil {
		q.bufs = q.inline[:0]
	}
	q.bufs = append(q.bufs, b)
}

// send writes as much as the socket takes in one syscall, using iov as
// scratch for writev, and drops what was sent.
func (q *outQueue) send(fd int, iov [][]byte) (int, error) {
	var n int
	var err error
	if len(q.bufs) == 1 {
		n, err = unix.Write(fd, (*q.bufs[0])[q.off:])
	} else {
		iov = append(iov[:0], (*q.bufs[0])[q.off:])
		for _, b := range q.bufs[1:] {
			if len(iov) == maxIov {
				break
			}
			iov = append(iov, *b)
		}
		n, err = writev(fd, iov)
		clear(iov)
	}
	if n > 0 {
		q.consume(n)
	}
	return n, err
}

// consume drops n sent bytes from the front.
func (q *outQueue) consume(n int) {
	for n > 0 {
		rest := len(*q.bufs[0]) - q.off
		if n < rest {
			q.off += n
			return
		}
		n -= rest
		q.popFront()
	}
}

func (q *outQueue) popFront() {
	bufpool.Put(q.bufs[0])
	q.bufs[0] = nil
	q.bufs = q.bufs[1:]
	q.off = 0
	if len(q.bufs) == 0 {
		q.bufs = nil // a grown slice is let go
		q.inline = [2]*[]byte{}
	}
}

// reset drops everything queued.
func (q *outQueue) reset() {
	for !q.empty() {
		q.popFront()
	}
}
