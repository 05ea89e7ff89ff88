package udp

import (
	"net"
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// addrPort is netip.AddrPort, named short for the loop code.
type addrPort = netip.AddrPort

// sockaddrAddrPort decodes an AF_INET or AF_INET6 socket address written
// by the kernel into raw; IPv4-mapped IPv6 addresses come back as IPv4.
func sockaddrAddrPort(raw *unix.RawSockaddrInet6, n uint32) netip.AddrPort {
	switch raw.Family {
	case unix.AF_INET:
		if n < unix.SizeofSockaddrInet4 {
			return netip.AddrPort{}
		}
		r4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(raw))
		return netip.AddrPortFrom(netip.AddrFrom4(r4.Addr), ntohs(r4.Port))
	case unix.AF_INET6:
		a := netip.AddrFrom16(raw.Addr)
		if a.Is4In6() {
			a = a.Unmap()
		} else if raw.Scope_id != 0 {
			a = a.WithZone(strconv.FormatUint(uint64(raw.Scope_id), 10))
		}
		return netip.AddrPortFrom(a, ntohs(raw.Port))
	}
	return netip.AddrPort{}
}

// sockaddr is a socket address in kernel form, for sendto.
type sockaddr struct {
	raw unix.RawSockaddrInet6 // also holds a RawSockaddrInet4
	len uint32
}

// set encodes ap for a socket of the given family: an IPv4 address is
// IPv4-mapped on an IPv6 socket. It reports false for an address the
// family cannot reach, or an unknown zone.
func (s *sockaddr) set(ap netip.AddrPort, family int) bool {
	a := ap.Addr()
	if family == unix.AF_INET {
		if !a.Unmap().Is4() {
			return false
		}
		r4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(&s.raw))
		*r4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Port: htons(ap.Port()), Addr: a.Unmap().As4()}
		s.len = unix.SizeofSockaddrInet4
		return true
	}
	s.raw = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(ap.Port()), Addr: a.As16()}
	if z := a.Zone(); z != "" {
		id, ok := zoneIndex(z)
		if !ok {
			return false
		}
		s.raw.Scope_id = id
	}
	s.len = unix.SizeofSockaddrInet6
	return true
}

func zoneIndex(z string) (uint32, bool) {
	if n, err := strconv.ParseUint(z, 10, 32); err == nil {
		return uint32(n), true
	}
	ifi, err := net.InterfaceByName(z)
	if err != nil {
		return 0, false
	}
	return uint32(ifi.Index), true
}

// htons and ntohs convert a port to and from the network byte order of a
// raw socket address's uint16 field, whatever the host byte order.
func htons(p uint16) uint16 {
	var b [2]byte
	b[0], b[1] = byte(p>>8), byte(p)
	return *(*uint16)(unsafe.Pointer(&b))
}

func ntohs(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}

// zeroByte gives a valid pointer for empty payloads.
var zeroByte byte

// sendto sends b on fd to the address sa (nil: the connected peer) in one
// non-blocking system call.
func sendto(fd int, b []byte, sa *sockaddr) (int, error) {
	p := unsafe.Pointer(&zeroByte)
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	var name unsafe.Pointer
	var nlen uint32
	if sa != nil {
		name, nlen = unsafe.Pointer(&sa.raw), sa.len
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
