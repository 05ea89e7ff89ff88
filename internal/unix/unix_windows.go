package unix

import "syscall"

// errUnsupported is what every call returns on Windows; errors.Is reports
// it as errors.ErrUnsupported.
const errUnsupported = syscall.EWINDOWS

// Errno is syscall.Errno.
type Errno = syscall.Errno

// Sockaddr is a socket address, as in x/sys/unix.
type Sockaddr interface{ sockaddr() }

// SockaddrInet4 is an IPv4 socket address, as in x/sys/unix.
type SockaddrInet4 struct {
	Port int
	Addr [4]byte
}

// SockaddrInet6 is an IPv6 socket address, as in x/sys/unix.
type SockaddrInet6 struct {
	Port   int
	ZoneId uint32 //nolint:revive // the x/sys/unix name
	Addr   [16]byte
}

// SockaddrUnix is a unix-domain socket address, as in x/sys/unix.
type SockaddrUnix struct{ Name string }

func (*SockaddrInet4) sockaddr() {}
func (*SockaddrInet6) sockaddr() {}
func (*SockaddrUnix) sockaddr()  {}

// RawSockaddrInet4 is the kernel form of an IPv4 address (Linux layout).
type RawSockaddrInet4 struct {
	Family uint16
	Port   uint16
	Addr   [4]byte
	Zero   [8]uint8
}

// RawSockaddrInet6 is the kernel form of an IPv6 address (Linux layout).
type RawSockaddrInet6 struct {
	Family   uint16
	Port     uint16
	Flowinfo uint32
	Addr     [16]byte
	Scope_id uint32 //nolint:revive // the x/sys/unix name
}

// RawSockaddrUnix is the kernel form of a unix-domain address (Linux layout).
type RawSockaddrUnix struct {
	Family uint16
	Path   [108]int8
}

// Linger is the SO_LINGER option value.
type Linger struct {
	Onoff  int32
	Linger int32
}

// Utsname is what Uname fills in.
type Utsname struct {
	Sysname  [65]byte
	Nodename [65]byte
	Release  [65]byte
	Version  [65]byte
	Machine  [65]byte
}

// Error numbers used by the portable files.
//
//nolint:revive // the names are x/sys/unix's
const (
	EAGAIN       = syscall.EAGAIN
	EINTR        = syscall.EINTR
	EBADF        = syscall.EBADF
	EINVAL       = syscall.EINVAL
	ECONNABORTED = syscall.ECONNABORTED
	ECONNRESET   = syscall.ECONNRESET
	EPIPE        = syscall.EPIPE
)

// Address families, socket levels, options and flags (Linux values; on
// Windows they only reach the stubs below).
//
//nolint:revive // the names are x/sys/unix's
const (
	AF_INET             = 0x2
	AF_INET6            = 0xa
	SizeofSockaddrInet4 = 0x10
	SizeofSockaddrInet6 = 0x1c
	SOL_SOCKET          = 0x1
	SO_BROADCAST        = 0x6
	SO_ERROR            = 0x4
	SO_LINGER           = 0xd
	SO_RCVBUF           = 0x8
	SO_REUSEADDR        = 0x2
	SO_REUSEPORT        = 0xf
	SO_SNDBUF           = 0x7
	SO_KEEPALIVE        = 0x9
	IPPROTO_TCP         = 0x6
	TCP_NODELAY         = 0x1
	SHUT_RD             = 0x0
	SHUT_WR             = 0x1
	F_DUPFD_CLOEXEC     = 0x406
	MSG_DONTWAIT        = 0x40
	SYS_SENDTO          = 44
	SYS_RECVFROM        = 45
)

// Close fails: raw fds are unsupported on Windows.
func Close(int) error { return errUnsupported }

// Read fails: raw fds are unsupported on Windows.
func Read(int, []byte) (int, error) { return 0, errUnsupported }

// Write fails: raw fds are unsupported on Windows.
func Write(int, []byte) (int, error) { return 0, errUnsupported }

// Listen fails: raw fds are unsupported on Windows.
func Listen(int, int) error { return errUnsupported }

// Shutdown fails: raw fds are unsupported on Windows.
func Shutdown(int, int) error { return errUnsupported }

// Getsockname fails: raw fds are unsupported on Windows.
func Getsockname(int) (Sockaddr, error) { return nil, errUnsupported }

// SetNonblock fails: raw fds are unsupported on Windows.
func SetNonblock(int, bool) error { return errUnsupported }

// GetsockoptInt fails: raw fds are unsupported on Windows.
func GetsockoptInt(int, int, int) (int, error) { return 0, errUnsupported }

// SetsockoptInt fails: raw fds are unsupported on Windows.
func SetsockoptInt(int, int, int, int) error { return errUnsupported }

// SetsockoptLinger fails: raw fds are unsupported on Windows.
func SetsockoptLinger(int, int, int, *Linger) error { return errUnsupported }

// FcntlInt fails: raw fds are unsupported on Windows.
func FcntlInt(uintptr, int, int) (int, error) { return 0, errUnsupported }

// Uname fails on Windows.
func Uname(*Utsname) error { return errUnsupported }

// ByteSliceToString returns s up to its first NUL byte.
func ByteSliceToString(s []byte) string {
	for i, b := range s {
		if b == 0 {
			return string(s[:i])
		}
	}
	return string(s)
}

// Syscall6 fails: there are no unix system calls on Windows.
func Syscall6(_, _, _, _, _, _, _ uintptr) (r1, r2 uintptr, err Errno) {
	return 0, 0, errUnsupported
}
