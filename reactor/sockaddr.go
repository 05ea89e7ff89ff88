package reactor

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// sockaddrToAddrPort converts an inet sockaddr; other kinds give the zero
// AddrPort.
func sockaddrToAddrPort(sa unix.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))
	}
	return netip.AddrPort{}
}

// dupFD duplicates fd with close-on-exec set.
func dupFD(fd int) (int, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, wrapSyscall("fcntl", err)
	}
	return nfd, nil
}
