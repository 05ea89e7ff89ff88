package bench

import "encoding/binary"

// seqLen is the size of the sequence header at the start of a ping-pong
// payload; shorter payloads carry a truncated header.
const seqLen = 8

// newPayload returns a size-byte message whose body is a pattern unique to
// connection id; setSeq stamps the per-round header.
func newPayload(size, id int) []byte {
	p := make([]byte, size)
	for i := range p {
		p[i] = byte(id*7 + i)
	}
	return p
}

// setSeq writes seq into the header of p (as many bytes as fit).
func setSeq(p []byte, seq uint64) {
	var h [seqLen]byte
	binary.LittleEndian.PutUint64(h[:], seq)
	copy(p, h[:])
}

// getSeq reads the header written by setSeq.
func getSeq(p []byte) uint64 {
	var h [seqLen]byte
	copy(h[:], p)
	return binary.LittleEndian.Uint64(h[:])
}

// streamPeriod is the period of the bulk byte stream; it is prime so that it
// never lines up with chunk or buffer sizes.
const streamPeriod = 251

// newStreamPattern returns a buffer from which any chunk of up to n bytes at
// any stream offset off can be taken as p[off%streamPeriod:][:n].
func newStreamPattern(n int) []byte {
	p := make([]byte, n+streamPeriod)
	for i := range p {
		p[i] = byte(i % streamPeriod)
	}
	return p
}
