//go:build !windows && !usocket_netstd

package udp

import (
	"unsafe"

	"github.com/usocket-go/usocket/internal/unix"

	"github.com/usocket-go/usocket/internal/sockaddr"
)

// zeroByte gives a valid pointer for empty payloads.
var zeroByte byte

// sendto sends b on fd to the address sa (nil: the connected peer) in one
// non-blocking system call.
func sendto(fd int, b []byte, sa *sockaddr.Raw) (int, error) {
	p := unsafe.Pointer(&zeroByte)
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	var name unsafe.Pointer
	var nlen uint32
	if sa != nil {
		name, nlen = unsafe.Pointer(sa.Ptr()), sa.Len
	}
	return ioSyscall(unix.SYS_SENDTO, fd, p, len(b), unix.MSG_DONTWAIT, name, nlen)
}

// ioSyscall makes the data system call trap (sendto, recvmmsg, sendmmsg:
// descriptor, buffer, length, flags, address, address length), retrying on
// EINTR, and returns its count or its bare errno. The pointers stay
// unsafe.Pointer up to the call itself, so what they point to is kept
// alive and in place until it returns.
func ioSyscall(trap uintptr, fd int, buf unsafe.Pointer, n, flags int, name unsafe.Pointer, nlen uint32) (int, error) {
	for {
		r, _, errno := unix.Syscall6(trap, uintptr(fd), uintptr(buf), uintptr(n),
			uintptr(flags), uintptr(name), uintptr(nlen))
		switch errno {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		}
		return 0, errno
	}
}
