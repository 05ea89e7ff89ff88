package reactor

import (
	"net"
	"os"
	"strconv"
	"syscall"

	"github.com/usocket-go/usocket/internal/unix"
)

// MaxUnixPath is the longest unix domain socket path (or abstract name,
// "@" included) the kernel takes, in bytes: sun_path less its
// terminating NUL (107 on Linux).
const MaxUnixPath = len(unix.RawSockaddrUnix{}.Path) - 1

// UnixPathError reports a unix domain socket path longer than
// MaxUnixPath. It comes inside a *net.OpError and matches syscall.EINVAL,
// the errno the kernel would give.
type UnixPathError struct {
	Path string
}

// Error implements error.
func (e *UnixPathError) Error() string {
	return "reactor: unix socket path longer than " + strconv.Itoa(MaxUnixPath) + " bytes: " + e.Path
}

// Unwrap returns syscall.EINVAL.
func (e *UnixPathError) Unwrap() error { return syscall.EINVAL }

// isUnix reports whether network names a unix domain socket family.
func isUnix(network string) bool {
	return network == "unix" || network == "unixgram" || network == "unixpacket"
}

// checkUnix vets a unix domain address before any socket is made: only
// "unix" (stream) sockets are served, and the path must fit sun_path.
// Other networks pass.
func checkUnix(op, network, address string) error {
	if !isUnix(network) {
		return nil
	}
	if network != "unix" {
		return &net.OpError{Op: op, Net: network, Err: net.UnknownNetworkError(network)}
	}
	if len(address) > MaxUnixPath {
		return &net.OpError{Op: op, Net: network, Addr: &net.UnixAddr{Name: address, Net: network}, Err: &UnixPathError{Path: address}}
	}
	return nil
}

// unixAddrs are the two ends of a unix domain connection; nil for TCP.
// They are set before the connection is handed out and never change.
type unixAddrs struct {
	local, remote *net.UnixAddr
}

// unixAddrsOf returns nc's ends when it is a unix domain connection, else
// nil. A missing end (an unnamed socket) is an empty *net.UnixAddr, never
// nil, so that RemoteAddr and LocalAddr always return a usable address.
func unixAddrsOf(nc net.Conn) *unixAddrs {
	if _, ok := nc.(*net.UnixConn); !ok {
		return nil
	}
	return &unixAddrs{local: unixAddr(nc.LocalAddr()), remote: unixAddr(nc.RemoteAddr())}
}

func unixAddr(a net.Addr) *net.UnixAddr {
	if u, ok := a.(*net.UnixAddr); ok && u != nil {
		return u
	}
	return &net.UnixAddr{Net: "unix"}
}

// acceptedUnix returns the ends of a connection accepted on a unix
// listener bound to local, from the peer's sockaddr as accept gave it.
func acceptedUnix(local *net.UnixAddr, sa unix.Sockaddr) *unixAddrs {
	remote := &net.UnixAddr{Net: "unix"}
	if s, ok := sa.(*unix.SockaddrUnix); ok {
		remote.Name = s.Name
	}
	return &unixAddrs{local: local, remote: remote}
}

// unixSocketFile is the file a unix listener created and removes when it
// closes, as net.UnixListener does: "" for an abstract name (no file), or
// when the listener is not a unix one.
func unixSocketFile(gl net.Listener) string {
	ul, ok := gl.(*net.UnixListener)
	if !ok {
		return ""
	}
	// We close gl once its descriptor is duplicated: it must not unlink
	// the file the duplicate is still bound to.
	ul.SetUnlinkOnClose(false)
	name := ul.Addr().(*net.UnixAddr).Name
	if name == "" || name[0] == '@' {
		return ""
	}
	return name
}

// removeSocketFile unlinks path, if any; a file already gone is fine.
func removeSocketFile(path string) {
	if path != "" {
		_ = os.Remove(path)
	}
}

// unixEnds returns the ends of a connection accepted on ln from the peer's
// sockaddr, or nil when ln is not a unix listener.
func (ln *Listener) unixEnds(sa unix.Sockaddr) *unixAddrs {
	local, ok := ln.addr.(*net.UnixAddr)
	if !ok {
		return nil
	}
	return acceptedUnix(local, sa)
}
