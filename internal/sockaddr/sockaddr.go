package sockaddr

import (
	"net"
	"net/netip"
	"strconv"
	"unsafe"

	"github.com/usocket-go/usocket/internal/unix"
)

// Unmap turns an IPv4-mapped IPv6 address into the IPv4 address; other
// addresses are returned as they are.
func Unmap(ap netip.AddrPort) netip.AddrPort {
	if ap.Addr().Is4In6() {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}

// FromSockaddr is the address of an inet unix.Sockaddr (from accept or
// getsockname), unmapped; other kinds give the zero AddrPort.
func FromSockaddr(sa unix.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *unix.SockaddrInet6:
		return fromInet6(a.Addr, uint16(a.Port), a.ZoneId)
	}
	return netip.AddrPort{}
}

// fromInet6 is an IPv6 socket address, unmapped, with its zone.
func fromInet6(addr [16]byte, port uint16, zone uint32) netip.AddrPort {
	a := netip.AddrFrom16(addr)
	if a.Is4In6() {
		a = a.Unmap()
	} else if zone != 0 {
		a = a.WithZone(strconv.FormatUint(uint64(zone), 10))
	}
	return netip.AddrPortFrom(a, port)
}

// Raw is a socket address in kernel form, large enough for AF_INET and
// AF_INET6: what recvmsg fills in and sendto reads.
type Raw struct {
	Sa  unix.RawSockaddrInet6 // also holds a RawSockaddrInet4
	Len uint32
}

// Ptr returns the address of the kernel form, for a msghdr or sendto.
func (r *Raw) Ptr() *byte { return (*byte)(unsafe.Pointer(&r.Sa)) }

// AddrPort decodes a raw address of n bytes written by the kernel;
// anything but AF_INET and AF_INET6 gives the zero AddrPort.
func AddrPort(raw *unix.RawSockaddrInet6, n uint32) netip.AddrPort {
	switch raw.Family {
	case unix.AF_INET:
		if n < unix.SizeofSockaddrInet4 {
			return netip.AddrPort{}
		}
		r4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(raw))
		return netip.AddrPortFrom(netip.AddrFrom4(r4.Addr), ntohs(r4.Port))
	case unix.AF_INET6:
		return fromInet6(raw.Addr, ntohs(raw.Port), raw.Scope_id)
	}
	return netip.AddrPort{}
}

// Set encodes ap for a socket of the given family: an IPv4 address is
// IPv4-mapped on an IPv6 socket. It reports false for an address the
// family cannot reach, or an unknown zone.
func (r *Raw) Set(ap netip.AddrPort, family int) bool {
	a := ap.Addr()
	if family == unix.AF_INET {
		if !a.Unmap().Is4() {
			return false
		}
		r4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.Sa))
		*r4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Port: htons(ap.Port()), Addr: a.Unmap().As4()}
		r.Len = unix.SizeofSockaddrInet4
		return true
	}
	r.Sa = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(ap.Port()), Addr: a.As16()}
	if z := a.Zone(); z != "" {
		id, ok := zoneIndex(z)
		if !ok {
			return false
		}
		r.Sa.Scope_id = id
	}
	r.Len = unix.SizeofSockaddrInet6
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
