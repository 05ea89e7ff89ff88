//go:build windows || usocket_netstd

package usocket

import (
	"net"
	"os"
	"syscall"

	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/internal/netfd"
	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/reactor"
)

// On the net backend (Windows, or the usocket_netstd build tag) a Conn or
// Listener keeps its standard-library socket behind an internal/netfd
// handle, whose calls behave as a non-blocking descriptor's and whose
// goroutines report readiness edges. The facade above runs unchanged. The
// reactor's loops have no descriptors to watch here; a socket only
// watches its reactor stopping, and closes then as it would on a loop.

// watchFD registers the facade's edge callbacks on f's handle; on failure
// the handle is closed.
// The socket stops with r, as it would on r's loop: h's OnClose runs
// when r stops.
func watchFD(f *fdlife.FD, r *reactor.Reactor, h reactor.FDHandler, _ ...reactor.LendOption) (*reactor.Watcher, error) {
	select {
	case <-r.Done():
		_ = netfd.Close(f.Sysfd)
		return nil, reactor.ErrClosed
	default:
	}
	w, err := netfd.Watch(f.Sysfd, func() { h.OnReadable(nil) }, func() { h.OnWritable(nil) })
	if err != nil {
		_ = netfd.Close(f.Sysfd)
		return nil, err
	}
	f.SetWatcher(w)
	w.OnStop(r.Done(), func() { h.OnClose(nil, reactor.ErrClosed) })
	return nil, nil // no loop to lend: a caller waits the plain way
}

// detachFD takes a standard-library socket: its handle keeps it.
func detachFD(sc interface {
	syscall.Conn
	Close() error
}) (int, error) {
	switch s := sc.(type) {
	case net.Conn:
		return netfd.Conn(s), nil
	case net.Listener:
		return netfd.Listener(s), nil
	}
	_ = sc.Close()
	return -1, unix.EINVAL
}

func readFD(fd int, b []byte) (int, error) { return netfd.Read(fd, b) }

func writeFD(fd int, b []byte) (int, error) { return netfd.Write(fd, b) }

func peekReady(fd int) bool { return netfd.ReadReady(fd) }

func pollReady(fd int) bool { return netfd.ReadReady(fd) }

func closeFD(fd int) { _ = netfd.Close(fd) }

func resetFD(fd int) { netfd.Reset(fd) }

// listenBacklog is unsupported: the standard library picks the backlog.
func listenBacklog(int, int) error {
	return &ImplementationError{Kind: ErrUnsupported, Feature: "Backlog", Context: "the net backend"}
}

// acceptFD takes a connection the handle's acceptor got.
func acceptFD(fd int) (int, unix.Sockaddr, error) {
	nc, err := netfd.Accept(fd)
	if err != nil {
		return -1, nil, err
	}
	return netfd.Conn(nc), toSockaddr(nc.RemoteAddr()), nil
}

func localSockaddr(fd int) (unix.Sockaddr, error) {
	local, _, err := netfd.Addrs(fd)
	if err != nil {
		return nil, err
	}
	return toSockaddr(local), nil
}

// toSockaddr is a as the kernel would name it.
func toSockaddr(a net.Addr) unix.Sockaddr {
	switch a := a.(type) {
	case *net.TCPAddr:
		ap := a.AddrPort()
		if ip := ap.Addr().Unmap(); ip.Is4() {
			return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ip.As4()}
		}
		return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}
	case *net.UnixAddr:
		return &unix.SockaddrUnix{Name: a.Name}
	}
	return nil
}

// rawControl runs f with the socket's own descriptor (a SOCKET on
// Windows).
func rawControl(fd int, f func(fd uintptr)) error { return netfd.Control(fd, f) }

// shutdown shuts down one side (unix.SHUT_RD or unix.SHUT_WR); the write
// side once a write in flight is sent.
func shutdown(fd, how int) error {
	if err := netfd.Shutdown(fd, how == unix.SHUT_WR); err != nil {
		return os.NewSyscallError("shutdown", err)
	}
	return nil
}

func (o sockopt) get(fd int) (int, error) {
	var v int
	var err error
	if cerr := netfd.Control(fd, func(s uintptr) { v, err = o.getRaw(int(s)) }); cerr != nil {
		return 0, cerr
	}
	return v, err
}

// getRaw reads the option of a descriptor (not a handle).
func (o sockopt) getRaw(fd int) (int, error) {
	v, err := unix.GetsockoptInt(fd, o.level, o.name)
	if err != nil {
		return 0, os.NewSyscallError("getsockopt", err)
	}
	return v, nil
}

func (o sockopt) set(fd, v int) error {
	var err error
	if cerr := netfd.Control(fd, func(s uintptr) { err = o.setRaw(int(s), v) }); cerr != nil {
		return cerr
	}
	return err
}

// setRaw sets the option on a descriptor (not a handle).
func (o sockopt) setRaw(fd, v int) error {
	if err := unix.SetsockoptInt(fd, o.level, o.name, v); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// listenReuse sets the reuse options on a socket before bind. The
// standard library turns SO_REUSEADDR on already where it is safe (and
// leaves it off on Windows, where it means something else), so only
// turning it off, or SO_REUSEPORT, asks the kernel.
func listenReuse(fd int, reuse, reusePort bool) error {
	if !reuse {
		if err := optReuseAddr.setRaw(fd, 0); err != nil {
			return err
		}
	}
	if reusePort {
		return optReusePort.setRaw(fd, 1)
	}
	return nil
}
