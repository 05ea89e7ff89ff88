//go:build !linux && !windows && !usocket_netstd

package udp

import (
	"net/netip"
	"sync"
	"unsafe"

	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/unix"
)

// batchLen is one here: recvmmsg and sendmmsg are Linux's, so each call
// moves one datagram (recvfrom, sendto).
const batchLen = 1

// slotSize is the receive buffer: the largest possible UDP payload.
const slotSize = 1 << 16

// batch is the scratch space of one recvfrom call and of one reply.
type batch struct {
	name  unix.RawSockaddrInet6
	nlen  uint32 // socklen_t
	n     int
	data  [slotSize]byte
	to    [batchLen]sockaddr.Raw
	reply []byte
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

// recv reads one datagram into the batch and returns 1.
func (b *batch) recv(fd, _ int) (int, error) {
	b.nlen = unix.SizeofSockaddrInet6
	for {
		r, _, errno := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&b.data[0])),
			slotSize, unix.MSG_DONTWAIT, uintptr(unsafe.Pointer(&b.name)), uintptr(unsafe.Pointer(&b.nlen)))
		switch errno {
		case 0:
			b.n = int(r)
			return 1, nil
		case unix.EINTR:
			continue
		}
		return 0, errno
	}
}

// size returns the length of the datagram (slot 0).
func (b *batch) size(int) int { return b.n }

// payload returns the received bytes.
func (b *batch) payload(int) []byte { return b.data[:b.n] }

// from returns the sender of the datagram.
func (b *batch) from(int) netip.AddrPort { return sockaddr.AddrPort(&b.name, b.nlen) }

// addReply sets the reply's payload; its address is already in to[0].
func (b *batch) addReply(_ int, reply []byte) { b.reply = reply }

// send sends the reply with sendto and returns 1 once it went out.
func (b *batch) send(fd, _, _ int) (int, error) {
	if _, err := sendto(fd, b.reply, &b.to[0]); err != nil {
		return 0, err
	}
	return 1, nil
}

// clearReplies drops the batch's reference to the reply.
func (b *batch) clearReplies(int) { b.reply = nil }
