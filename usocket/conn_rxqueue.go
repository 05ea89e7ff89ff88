package usocket

import "sync"

// rxBlockSize is the size of the blocks that hold received bytes. It
// matches the reactor's default read size, so one OnData call usually fills
// at most two blocks.
const rxBlockSize = 64 << 10

var rxBlocks = sync.Pool{New: func() any { return new([rxBlockSize]byte) }}

// rxQueue holds received bytes that no reader has taken yet, in pooled
// fixed-size blocks: appending never moves what is queued, and a drained
// queue holds no memory, so idle connections cost nothing.
type rxQueue struct {
	blocks []*[rxBlockSize]byte
	head   int // read offset in blocks[0]
	tail   int // write offset in the last block
	n      int // bytes queued
}

// len reports the bytes queued.
func (q *rxQueue) len() int { return q.n }

// write appends p.
func (q *rxQueue) write(p []byte) {
	for len(p) > 0 {
		if len(q.blocks) == 0 || q.tail == rxBlockSize {
			q.blocks = append(q.blocks, rxBlocks.Get().(*[rxBlockSize]byte))
			q.tail = 0
		}
		k := copy(q.blocks[len(q.blocks)-1][q.tail:], p)
		q.tail += k
		q.n += k
		p = p[k:]
	}
}

// read moves up to len(b) queued bytes into b.
func (q *rxQueue) read(b []byte) int {
	done := 0
	for done < len(b) && q.n > 0 {
		end := rxBlockSize
		if len(q.blocks) == 1 {
			end = q.tail
		}
		k := copy(b[done:], q.blocks[0][q.head:end])
		q.head += k
		q.n -= k
		done += k
		if q.head == end {
			q.dropFront()
		}
	}
	return done
}

// dropFront returns the first block to the pool.
func (q *rxQueue) dropFront() {
	rxBlocks.Put(q.blocks[0])
	q.blocks[0] = nil
	q.blocks = q.blocks[1:]
	q.head = 0
	if len(q.blocks) == 0 {
		q.blocks, q.tail = nil, 0 // let the slice go too
	}
}

// reset drops everything queued.
func (q *rxQueue) reset() {
	for len(q.blocks) > 0 {
		q.dropFront()
	}
	q.n = 0
}
