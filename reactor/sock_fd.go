//go:build !windows && !usocket_netstd

package reactor

import (
	"context"
	"net"
	"net/netip"
	"syscall"

	"github.com/usocket-go/usocket/internal/sock"
	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/unix"
)

// This file is the descriptor side of the fd backends (epoll on Linux, the
// portable readiness loop elsewhere): a connection and a listening socket
// are a non-blocking descriptor, and every operation is one system call.
// sock_net.go is the same set of operations over the net package. Each is
// a direct call here, so the Linux hot path has no indirection.

// rawFDs says the backend drives raw descriptors: watchers, SO_REUSEPORT
// per loop and the listen backlog work.
const rawFDs = true

// backendName names the backend in an UnsupportedError.
const backendName = "fd"

// connIO is a connection's backend state: nothing beyond its descriptor.
type connIO struct{}

// listenIO is a listening socket's backend state: nothing beyond its
// descriptor.
type listenIO struct{}

func (c *Conn) sysRead(b []byte) (int, error) { return unix.Read(c.fd, b) }

func (c *Conn) sysWrite(b []byte) (int, error) { return unix.Write(c.fd, b) }

// sysSend sends from the head of the queue, drops what the kernel took and
// counts it in BytesWritten; fromFile says the bytes came from a file
// region (SendFile), not from memory.
func (c *Conn) sysSend() (n int, fromFile bool, err error) {
	n, fromFile, err = c.wq.send(c.fd, c.loop.iov)
	if n > 0 {
		c.loop.stats.bytesWritten.Add(uint64(n))
	}
	return n, fromFile, err
}

func (c *Conn) sysShutdownWrite() { _ = unix.Shutdown(c.fd, unix.SHUT_WR) }

// sysResetOnClose makes the coming close send an RST (SO_LINGER 0).
func (c *Conn) sysResetOnClose() {
	_ = unix.SetsockoptLinger(c.fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
}

func (c *Conn) sysClose() { _ = unix.Close(c.fd) }

// sysPendingError reads the socket's pending error (SO_ERROR).
func (c *Conn) sysPendingError() (int, error) {
	return unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
}

// sysLocal asks the kernel for the local address; called with the
// descriptor held (withFD).
func (c *Conn) sysLocal() netip.AddrPort {
	sa, err := unix.Getsockname(c.fd)
	if err != nil {
		return netip.AddrPort{}
	}
	return sockaddr.FromSockaddr(sa)
}

// sysControl runs f with the descriptor held open.
func (c *Conn) sysControl(f func(fd uintptr)) error {
	return c.withFD(func(fd int) { f(uintptr(fd)) })
}

// send writes as much as the socket takes in one syscall, using iov as
// scratch for writev, and drops what was sent. fromFile says the bytes
// came from a file region, not from memory.
func (q *outQueue) send(fd int, iov [][]byte) (n int, fromFile bool, err error) {
	if q.fileFirst() {
		n, err = q.sendFile(fd)
		return n, true, err
	}
	bufs := q.bufs
	if len(q.files) > 0 { // not past the next file region
		bufs = bufs[:q.files[0].after-q.popped]
	}
	if len(bufs) == 1 {
		n, err = unix.Write(fd, (*q.bufs[0])[q.off:])
	} else {
		iov = append(iov[:0], (*q.bufs[0])[q.off:])
		for _, b := range bufs[1:] {
			if len(iov) == maxIov {
				break
			}
			iov = append(iov, *b)
		}
		n, err = writev(fd, iov)
		clear(iov)
	}
	if n > 0 {
		q.consume(n)
	}
	return n, false, err
}

// sendFile sends from the file region at the head, dropping it once sent.
func (q *outQueue) sendFile(fd int) (int, error) {
	f := q.files[0]
	n, err := f.send(fd)
	if f.n == 0 {
		f.close()
		q.files[0] = nil
		q.files = q.files[1:]
		if len(q.files) == 0 {
			q.files = nil
		}
	}
	return n, err
}

// takeConn takes nc's socket for a Conn: its descriptor is duplicated and
// made non-blocking, and nc closed.
func takeConn(nc net.Conn, _ int) (int, connIO, error) {
	fd, err := takeFD(nc)
	if err != nil {
		return -1, connIO{}, err
	}
	_ = nc.Close()
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd)
		return -1, connIO{}, wrapSyscall("setnonblock", err)
	}
	return fd, connIO{}, nil
}

// takeFD duplicates nc's descriptor; on failure nc is closed.
func takeFD(nc net.Conn) (int, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		_ = nc.Close()
		return -1, ErrNotSocket
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		_ = nc.Close()
		return -1, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(s uintptr) { fd, derr = dupFD(int(s)) }); err != nil {
		_ = nc.Close()
		return -1, err
	}
	if derr != nil {
		_ = nc.Close()
		return -1, derr
	}
	return fd, nil
}

// checkListenOptions: every listen option works on the fd backends.
func checkListenOptions(*listenOptions) error { return nil }

// listenSocketFD makes one listening socket and returns its descriptor.
func listenSocketFD(ctx context.Context, network, address string, o *listenOptions) (int, listenIO, net.Addr, string, error) {
	fd, bound, file, err := listenFD(ctx, network, address, o)
	return fd, listenIO{}, bound, file, err
}

// listenFD makes a listening socket with the standard library (so errors
// have its shape) and keeps a duplicate of its descriptor. file is the
// unix socket file it created, if any.
func listenFD(ctx context.Context, network, address string, o *listenOptions) (fd int, bound net.Addr, file string, err error) {
	lc := net.ListenConfig{Control: func(nw, addr string, c syscall.RawConn) error {
		if o.reusePort {
			var serr error
			if err := c.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
			}); err != nil {
				return err
			}
			if serr != nil {
				return wrapSyscall("setsockopt", serr)
			}
		}
		if o.control != nil {
			return o.control(nw, addr, c)
		}
		return nil
	}}
	gl, err := lc.Listen(ctx, network, address)
	if err != nil {
		return -1, nil, "", err
	}
	file = unixSocketFile(gl)
	defer func() { _ = gl.Close() }()
	fd, err = listenerFD(gl)
	if err == nil && o.backlog > 0 {
		if lerr := unix.Listen(fd, o.backlog); lerr != nil {
			_ = unix.Close(fd)
			err = wrapSyscall("listen", lerr)
		}
	}
	if err != nil {
		removeSocketFile(file)
		return -1, nil, "", err
	}
	return fd, gl.Addr(), file, nil
}

// listenerFD duplicates the descriptor of a TCP or unix listener.
func listenerFD(gl net.Listener) (int, error) {
	sc, ok := gl.(syscall.Conn)
	if !ok {
		return -1, ErrNotSocket
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(s uintptr) { fd, derr = dupFD(int(s)) }); err != nil {
		return -1, err
	}
	return fd, derr
}

// sysAccept accepts one connection: its descriptor (non-blocking,
// close-on-exec, TCP_NODELAY for TCP), the peer's address and, for a unix
// listener, both ends. It returns unix.EAGAIN when none is waiting.
func (s *listenSocket) sysAccept() (int, connIO, netip.AddrPort, *unixAddrs, error) {
	fd, sa, err := sock.Accept(s.fd)
	if err != nil {
		return -1, connIO{}, netip.AddrPort{}, nil, err
	}
	ua := s.ln.unixEnds(sa)
	if ua == nil {
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	return fd, connIO{}, sockaddr.FromSockaddr(sa), ua, nil
}

func (s *listenSocket) sysClose() { _ = unix.Close(s.fd) }

// errNoSendFile is nil here: SendFile queues file regions (sendfile.go).
var errNoSendFile error
