//go:build windows || usocket_netstd

package udp

import (
	"net/netip"
	"sync"

	"github.com/usocket-go/usocket/internal/netfd"
	"github.com/usocket-go/usocket/internal/sockaddr"
)

// batchLen is one on the net backend: each call moves one datagram.
const batchLen = 1

// slotSize is the receive buffer: the largest possible UDP payload.
const slotSize = 1 << 16

// batch is the scratch space of one receive and of one reply.
type batch struct {
	n     int
	src   netip.AddrPort
	data  [slotSize]byte
	to    [batchLen]sockaddr.Raw
	reply []byte
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

// recv takes the datagram the handle's receiver got and returns 1, or
// EAGAIN.
func (b *batch) recv(fd, _ int) (int, error) {
	n, from, err := netfd.RecvFrom(fd, b.data[:])
	if err != nil {
		return 0, err
	}
	b.n, b.src = n, sockaddr.Unmap(from)
	return 1, nil
}

// size returns the length of the datagram (slot 0).
func (b *batch) size(int) int { return b.n }

// payload returns the received bytes.
func (b *batch) payload(int) []byte { return b.data[:b.n] }

// from returns the sender of the datagram.
func (b *batch) from(int) netip.AddrPort { return b.src }

// addReply sets the reply's payload; its address is already in to[0].
func (b *batch) addReply(_ int, reply []byte) { b.reply = reply }

// send sends the reply and returns 1 once it went out.
func (b *batch) send(fd, _, _ int) (int, error) {
	if _, err := sendto(fd, b.reply, &b.to[0]); err != nil {
		return 0, err
	}
	return 1, nil
}

// clearReplies drops the batch's reference to the reply.
func (b *batch) clearReplies(int) { b.reply = nil }
