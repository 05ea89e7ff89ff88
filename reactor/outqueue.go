package reactor

import "github.com/usocket-go/usocket/internal/bufpool"

// maxIov bounds the buffers handed to one writev.
const maxIov = 64

// outQueue is a connection's outbound bytes that the loop has taken from
// the application, as the buffers they were written into: taking more
// output appends a buffer, never copies bytes, and a flush sends several
// buffers with one writev. File regions (SendFile) sit between buffers:
// each goes out, with sendfile, once the buffers before it have. Owned by
// the loop.
type outQueue struct {
	bufs   []*[]byte
	off    int        // bytes of bufs[0] already sent
	inline [2]*[]byte // backing for short queues, so steady state does not allocate

	files          []*fileSeg // file regions, in order
	pushed, popped uint64     // buffers pushed and sent so far: files[i] follows buffer number files[i].after
}

func (q *outQueue) empty() bool { return len(q.bufs) == 0 && len(q.files) == 0 }

// size counts the bytes of memory queued (file regions not included); it
// walks the queue.
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
	q.pushed++
}

// pushFile appends a file region; the queue owns it from now on.
func (q *outQueue) pushFile(f *fileSeg) {
	f.after = q.pushed
	q.files = append(q.files, f)
}

// fileFirst reports whether a file region is at the head of the queue.
func (q *outQueue) fileFirst() bool { return len(q.files) > 0 && q.files[0].after == q.popped }

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
	q.popped++
	q.off = 0
	if len(q.bufs) == 0 {
		q.bufs = nil // a grown slice is let go
		q.inline = [2]*[]byte{}
	}
}

// reset drops everything queued.
func (q *outQueue) reset() {
	for len(q.bufs) > 0 {
		q.popFront()
	}
	for _, f := range q.files {
		f.close()
	}
	q.files = nil
}
