//go:build linux

package udp

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// batchLen is how many datagrams one recvmmsg call may return.
const batchLen = 8

// slotSize is the receive buffer of each batch slot: the largest possible
// UDP payload, so only the real size (MSG_TRUNC) is ever lost to the
// scratch space, never data the reader could have had.
const slotSize = 1 << 16

// mmsghdr is the kernel's struct mmsghdr (x/sys has no type for it).
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
}

// batch is the scratch space of one recvmmsg call: headers, iovecs,
// address buffers and payload slots, wired together once. Batches are
// pooled, so each loop uses a few and steady-state reads do not allocate.
type batch struct {
	hdrs  [batchLen]mmsghdr
	iovs  [batchLen]unix.Iovec
	names [batchLen]unix.RawSockaddrInet6
	data  [batchLen][slotSize]byte

	// Replies of a Responder, sent with sendmmsg.
	out    [batchLen]mmsghdr
	outIov [batchLen]unix.Iovec
	to     [batchLen]sockaddr
}

func newBatch() *batch {
	b := new(batch)
	for i := range b.hdrs {
		b.iovs[i].Base = &b.data[i][0]
		b.iovs[i].SetLen(slotSize)
		h := &b.hdrs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		h.Iov = &b.iovs[i]
		h.SetIovlen(1)
		o := &b.out[i].hdr
		o.Name = (*byte)(unsafe.Pointer(&b.to[i].raw))
		o.Iov = &b.outIov[i]
		o.SetIovlen(1)
	}
	return b
}

// recv fills up to max slots with one recvmmsg call and returns how many.
// Slot i then holds the datagram's bytes in data[i][:min(size, slotSize)],
// its real size (MSG_TRUNC) in size(i) and its sender in from(i).
func (b *batch) recv(fd, max int) (int, error) {
	if max > batchLen {
		max = batchLen
	}
	for i := 0; i < max; i++ {
		b.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet6
		b.hdrs[i].hdr.Flags = 0
		b.hdrs[i].len = 0
	}
	return ioSyscall(unix.SYS_RECVMMSG, fd, unsafe.Pointer(&b.hdrs[0]), max,
		unix.MSG_DONTWAIT|unix.MSG_TRUNC, nil, 0)
}

// size returns the real length of the datagram in slot i.
func (b *batch) size(i int) int { return int(b.hdrs[i].len) }

// payload returns the received bytes of slot i.
func (b *batch) payload(i int) []byte {
	return b.data[i][:min(b.size(i), slotSize)]
}

// from returns the sender of the datagram in slot i.
func (b *batch) from(i int) (ap addrPort) {
	return sockaddrAddrPort(&b.names[i], b.hdrs[i].hdr.Namelen)
}

// addReply sets reply k's payload; its address is already in to[k].
func (b *batch) addReply(k int, reply []byte) {
	p := &zeroByte
	if len(reply) > 0 {
		p = &reply[0]
	}
	b.outIov[k].Base = p
	b.outIov[k].SetLen(len(reply))
	b.out[k].hdr.Namelen = b.to[k].len
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
