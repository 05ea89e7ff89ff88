package udp

import (
	"net/netip"

	"github.com/usocket-go/usocket/internal/bufpool"
)

// packet is one received datagram, or an error the socket reported.
type packet struct {
	buf  *[]byte // pooled copy of the payload (up to the receive size)
	size int     // the datagram's real length (may exceed len(*buf))
	from netip.AddrPort
	err  error // a socket error (ECONNREFUSED...) instead of a datagram
}

// queue is a fixed-capacity ring of packets. It is guarded by Conn.mu.
type queue struct {
	ring  []packet
	head  int
	n     int
	bytes int // total payload bytes held
}

func (q *queue) init(capacity int) { q.ring = make([]packet, capacity) }

func (q *queue) len() int { return q.n }

// full reports whether no more datagrams may be queued: the count or the
// byte limit is reached.
func (q *queue) full(limit int) bool { return q.n == len(q.ring) || q.bytes >= limit }

// low reports whether the queue drained enough to read again.
func (q *queue) low(limit int) bool { return q.n <= len(q.ring)/2 && q.bytes <= limit/2 }

// push appends p; the caller checked that the queue is not full.
func (q *queue) push(p packet) {
	q.ring[(q.head+q.n)%len(q.ring)] = p
	q.n++
	if p.buf != nil {
		q.bytes += len(*p.buf)
	}
}

// pop removes and returns the oldest packet; the queue must not be empty.
func (q *queue) pop() packet {
	p := q.ring[q.head]
	q.ring[q.head] = packet{}
	q.head = (q.head + 1) % len(q.ring)
	q.n--
	if p.buf != nil {
		q.bytes -= len(*p.buf)
	}
	return p
}

// clear drops every packet, returning the buffers to the pool.
func (q *queue) clear() {
	for q.n > 0 {
		if p := q.pop(); p.buf != nil {
			bufpool.Put(p.buf)
		}
	}
}
