//go:build unix

package unix

import "golang.org/x/sys/unix"

// Socket address and option types, aliases of x/sys/unix.
//
//nolint:revive // each alias is documented on its line
type (
	Sockaddr         = unix.Sockaddr         // Sockaddr is unix.Sockaddr.
	SockaddrInet4    = unix.SockaddrInet4    // SockaddrInet4 is unix.SockaddrInet4.
	SockaddrInet6    = unix.SockaddrInet6    // SockaddrInet6 is unix.SockaddrInet6.
	SockaddrUnix     = unix.SockaddrUnix     // SockaddrUnix is unix.SockaddrUnix.
	RawSockaddrInet4 = unix.RawSockaddrInet4 // RawSockaddrInet4 is unix.RawSockaddrInet4.
	RawSockaddrInet6 = unix.RawSockaddrInet6 // RawSockaddrInet6 is unix.RawSockaddrInet6.
	RawSockaddrUnix  = unix.RawSockaddrUnix  // RawSockaddrUnix is unix.RawSockaddrUnix.
	Linger           = unix.Linger           // Linger is unix.Linger.
	Utsname          = unix.Utsname          // Utsname is unix.Utsname.
	Errno            = unix.Errno            // Errno is unix.Errno.
)

// Error numbers used by the portable files.
//
//nolint:revive // the names are x/sys/unix's
const (
	EAGAIN       = unix.EAGAIN
	EINTR        = unix.EINTR
	EBADF        = unix.EBADF
	EINVAL       = unix.EINVAL
	ECONNABORTED = unix.ECONNABORTED
	ECONNRESET   = unix.ECONNRESET
	EPIPE        = unix.EPIPE
)

// Address families, socket levels, options and flags.
//
//nolint:revive // the names are x/sys/unix's
const (
	AF_INET             = unix.AF_INET
	AF_INET6            = unix.AF_INET6
	SizeofSockaddrInet4 = unix.SizeofSockaddrInet4
	SizeofSockaddrInet6 = unix.SizeofSockaddrInet6
	SOL_SOCKET          = unix.SOL_SOCKET
	SO_BROADCAST        = unix.SO_BROADCAST
	SO_ERROR            = unix.SO_ERROR
	SO_LINGER           = unix.SO_LINGER
	SO_RCVBUF           = unix.SO_RCVBUF
	SO_REUSEADDR        = unix.SO_REUSEADDR
	SO_REUSEPORT        = unix.SO_REUSEPORT
	SO_SNDBUF           = unix.SO_SNDBUF
	SO_KEEPALIVE        = unix.SO_KEEPALIVE
	IPPROTO_TCP         = unix.IPPROTO_TCP
	TCP_NODELAY         = unix.TCP_NODELAY
	SHUT_RD             = unix.SHUT_RD
	SHUT_WR             = unix.SHUT_WR
	F_DUPFD_CLOEXEC     = unix.F_DUPFD_CLOEXEC
	MSG_DONTWAIT        = unix.MSG_DONTWAIT
	SYS_SENDTO          = unix.SYS_SENDTO
	SYS_RECVFROM        = unix.SYS_RECVFROM
)

// Close is unix.Close.
func Close(fd int) error { return unix.Close(fd) }

// Read is unix.Read.
func Read(fd int, p []byte) (int, error) { return unix.Read(fd, p) }

// Write is unix.Write.
func Write(fd int, p []byte) (int, error) { return unix.Write(fd, p) }

// Listen is unix.Listen.
func Listen(fd, backlog int) error { return unix.Listen(fd, backlog) }

// Shutdown is unix.Shutdown.
func Shutdown(fd, how int) error { return unix.Shutdown(fd, how) }

// Getsockname is unix.Getsockname.
func Getsockname(fd int) (Sockaddr, error) { return unix.Getsockname(fd) }

// SetNonblock is unix.SetNonblock.
func SetNonblock(fd int, nonblocking bool) error { return unix.SetNonblock(fd, nonblocking) }

// GetsockoptInt is unix.GetsockoptInt.
func GetsockoptInt(fd, level, opt int) (int, error) { return unix.GetsockoptInt(fd, level, opt) }

// SetsockoptInt is unix.SetsockoptInt.
func SetsockoptInt(fd, level, opt, value int) error {
	return unix.SetsockoptInt(fd, level, opt, value)
}

// SetsockoptLinger is unix.SetsockoptLinger.
func SetsockoptLinger(fd, level, opt int, l *Linger) error {
	return unix.SetsockoptLinger(fd, level, opt, l)
}

// FcntlInt is unix.FcntlInt.
func FcntlInt(fd uintptr, cmd, arg int) (int, error) { return unix.FcntlInt(fd, cmd, arg) }

// Uname is unix.Uname.
func Uname(buf *Utsname) error { return unix.Uname(buf) }

// ByteSliceToString is unix.ByteSliceToString.
func ByteSliceToString(s []byte) string { return unix.ByteSliceToString(s) }

// Syscall6 is unix.Syscall6.
func Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err Errno) {
	return unix.Syscall6(trap, a1, a2, a3, a4, a5, a6)
}
