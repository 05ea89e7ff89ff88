package udp

import (
	"errors"

	"github.com/usocket-go/usocket/internal/unix"
)

// respond runs the Responder on the n datagrams of b and sends the replies
// with sendmmsg. Runs on the loop, which owns fd.
func (c *conn) respond(fd int, b *batch, n int) {
	k := 0
	for i := 0; i < n; i++ {
		from := b.from(i)
		reply := c.responder(b.payload(i), from)
		if reply == nil || len(reply) > MaxDatagramSize || !b.to[k].Set(from, c.family) {
			continue
		}
		b.addReply(k, reply)
		k++
	}
	defer b.clearReplies(k)
	for sent := 0; sent < k; {
		m, err := b.send(fd, sent, k)
		switch {
		case err == nil && m > 0:
			sent += m
		case errors.Is(err, unix.EAGAIN):
			return // send buffer full: drop the rest
		default:
			sent++ // this reply failed (an ICMP error...): skip it
		}
	}
}
