//go:build linux && !usocket_netstd

package udp

import (
	"net/netip"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/sockaddr"
)

// batchLen is how many datagrams one recvmmsg call may return.
const batchLen = 8

// slotSize is the receive buffer of each batch slot: the largest possible
// UDP payload, so only the real size (MSG_TRUNC) is ever lost to the
// scratch space, never data the reader could have had.
const slotSize = 1 << 16

// batch is the scratch space of one recvmmsg call: headers, iovecs,
// address buffers and payload slots, wired together once. Batches are
// pooled, so each loop uses a few and steady-state reads do not allocate.
type batch struct {
	hdrs  [batchLen]unix.Mmsghdr
	iovs  [batchLen]unix.Iovec
	names [batchLen]unix.RawSockaddrInet6
	data  [batchLen][slotSize]byte

	// Replies of a Responder, sent with sendmmsg.
	out    [batchLen]unix.Mmsghdr
	outIov [batchLen]unix.Iovec
	to     [batchLen]sockaddr.Raw
}

var batchPool = sync.Pool{New: func() any { return newBatch() }}

func newBatch() *batch {
	b := new(batch)
	for i := range b.hdrs {
		b.iovs[i].Base = &b.data[i][0]
		b.iovs[i].SetLen(slotSize)
		h := &b.hdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		h.Iov = &b.iovs[i]
		h.SetIovlen(1)
		o := &b.out[i].Hdr
		o.Name = b.to[i].Ptr()
		o.Iov = &b.outIov[i]
		o.SetIovlen(1)
	}
	return b
}

// recv fills up to most slots with one recvmmsg call and returns how many.
// Slot i then holds the datagram's bytes in data[i][:min(size, slotSize)],
// its real size (MSG_TRUNC) in size(i) and its sender in from(i).
func (b *batch) recv(fd, most int) (int, error) {
	if most > batchLen {
		most = batchLen
	}
	for i := 0; i < most; i++ {
		b.hdrs[i].Hdr.Namelen = unix.SizeofSockaddrInet6
		b.hdrs[i].Hdr.Flags = 0
		b.hdrs[i].Len = 0
	}
	return ioSyscall(unix.SYS_RECVMMSG, fd, unsafe.Pointer(&b.hdrs[0]), most,
		unix.MSG_DONTWAIT|unix.MSG_TRUNC, nil, 0)
}

// size returns the real length of the datagram in slot i.
func (b *batch) size(i int) int { return int(b.hdrs[i].Len) }

// payload returns the received bytes of slot i.
func (b *batch) payload(i int) []byte {
	return b.data[i][:min(b.size(i), slotSize)]
}

// from returns the sender of the datagram in slot i.
func (b *batch) from(i int) netip.AddrPort {
	return sockaddr.AddrPort(&b.names[i], b.hdrs[i].Hdr.Namelen)
}

// addReply sets reply k's payload; its address is already in to[k].
func (b *batch) addReply(k int, reply []byte) {
	p := &zeroByte
	if len(reply) > 0 {
		p = &reply[0]
	}
	b.outIov[k].Base = p
	b.outIov[k].SetLen(len(reply))
	b.out[k].Hdr.Namelen = b.to[k].Len
}

// send sends replies [from, to) with one sendmmsg call and returns how many
// went out.
func (b *batch) send(fd, from, to int) (int, error) {
	return ioSyscall(unix.SYS_SENDMMSG, fd, unsafe.Pointer(&b.out[from]), to-from, unix.MSG_DONTWAIT, nil, 0)
}

// clearReplies drops the batch's references to the first k replies, so a
// pooled batch does not keep them alive.
func (b *batch) clearReplies(k int) {
	for i := 0; i < k; i++ {
		b.outIov[i].Base = nil
	}
}
