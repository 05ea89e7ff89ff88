//go:build unix && !usocket_netstd

package usocket

import (
	"os"

	"golang.org/x/sys/unix"
)

// The socket calls behind CloseRead, CloseWrite and the socket options.
// Each runs inside Conn.control, while the descriptor is guaranteed open.

// shutdown shuts down one side (unix.SHUT_RD or unix.SHUT_WR).
func shutdown(fd, how int) error {
	if err := unix.Shutdown(fd, how); err != nil {
		return os.NewSyscallError("shutdown", err)
	}
	return nil
}

func (o sockopt) get(fd int) (int, error) {
	v, err := unix.GetsockoptInt(fd, o.level, o.name)
	if err != nil {
		return 0, os.NewSyscallError("getsockopt", err)
	}
	return v, nil
}

// listenReuse sets SO_REUSEADDR as configured, and SO_REUSEPORT if
// asked, on a socket before bind.
func listenReuse(fd int, reuse, reusePort bool) error {
	err := optReuseAddr.set(fd, boolInt(reuse))
	if err == nil && reusePort {
		err = optReusePort.set(fd, 1)
	}
	return err
}

// getRaw is get: handles are descriptors here.
func (o sockopt) getRaw(fd int) (int, error) { return o.get(fd) }

func (o sockopt) set(fd, v int) error {
	if err := unix.SetsockoptInt(fd, o.level, o.name, v); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}
