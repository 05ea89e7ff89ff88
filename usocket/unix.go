package usocket

import (
	"context"
	"net"
	"os"
	"strconv"

	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/reactor"
)

// unixEnds are the two ends of a unix domain connection. They are set
// before the Conn is handed out and never change.
type unixEnds struct {
	local, remote *net.UnixAddr
}

// unixListen is what a unix Listener knows of its socket.
type unixListen struct {
	addr *net.UnixAddr
	file string // the socket file Close removes; "" for an abstract name
}

// ListenUnix listens on the unix domain stream socket path with a zero
// ListenConfig; see ListenConfig.ListenUnix.
func ListenUnix(ctx context.Context, path string) (*Listener, error) {
	var lc ListenConfig
	return lc.ListenUnix(ctx, path)
}

// ListenUnix binds the unix domain stream socket path and listens, as
// net.Listen("unix", path) does: its Accept returns *Conn values whose
// addresses are *net.UnixAddr. On Linux a path starting with "@" is an
// abstract name, which has no file. The socket file ListenUnix creates is
// removed by Close, as net.UnixListener does; a path that exists already
// gives an error matching ErrAddressInUse. Backlog, ReadBufferLimit and
// Reactor apply; ReuseAddress does not (a unix socket has no port to
// reuse), and ReusePort is an input error. usocket itself has no unix
// sockets: this is the Go extension a net user expects.
//
// An empty path, a path longer than reactor.MaxUnixPath bytes, a negative
// Backlog, ReusePort or a nil ctx give an *InputError (inside a *net.OpError)
// matching ErrInvalidArgument; for the long path it wraps a
// *reactor.UnixPathError, which matches syscall.EINVAL.
func (lc *ListenConfig) ListenUnix(ctx context.Context, path string) (*Listener, error) {
	if err := unixPathError("ListenUnix", path); err != nil {
		return nil, unixOpError("listen", path, err)
	}
	if lc.Backlog < 0 {
		return nil, unixOpError("listen", path, &InputError{Op: "ListenUnix", Arg: "Backlog", Value: lc.Backlog, Reason: "negative"})
	}
	if ctx == nil {
		return nil, unixOpError("listen", path, &InputError{Op: "ListenUnix", Arg: "ctx", Value: "nil", Reason: "nil context"})
	}
	if lc.ReusePort {
		return nil, unixOpError("listen", path, &InputError{Op: "ListenUnix", Arg: "ReusePort", Value: true, Reason: "a unix socket has no port to share"})
	}
	r, err := reactorOr(lc.Reactor, "listen", "unix")
	if err != nil {
		return nil, err
	}
	l := lc.newListener(r)
	l.reuse = false
	return l.open(ctx, "unix", path, lc.Backlog)
}

// unixPathError is the *InputError for a path no unix socket can have,
// or nil.
func unixPathError(op, path string) error {
	switch {
	case path == "":
		return &InputError{Op: op, Arg: "path", Value: path, Reason: "empty path"}
	case len(path) > reactor.MaxUnixPath:
		return &InputError{Op: op, Arg: "path", Value: path,
			Reason: "longer than " + strconv.Itoa(reactor.MaxUnixPath) + " bytes", Err: &reactor.UnixPathError{Path: path}}
	}
	return nil
}

// unixOpError puts an error about path in the standard shape.
func unixOpError(op, path string, err error) error {
	return &net.OpError{Op: op, Net: "unix", Addr: &net.UnixAddr{Name: path, Net: "unix"}, Err: err}
}

// bound records the address the standard listener gl got. For a unix
// listener it also keeps gl from unlinking the socket file when detachFD
// closes it: the file is ours to remove on Close.
func (l *listener) bound(gl net.Listener) {
	switch a := gl.Addr().(type) {
	case *net.TCPAddr:
		l.addr = a
	case *net.UnixAddr:
		if ul, ok := gl.(*net.UnixListener); ok {
			ul.SetUnlinkOnClose(false)
		}
		l.unix = &unixListen{addr: a}
		if a.Name != "" && a.Name[0] != '@' {
			l.unix.file = a.Name
		}
	}
}

// removeSocketFile removes a unix listener's socket file, if it has one.
func (l *listener) removeSocketFile() {
	if l.unix != nil && l.unix.file != "" {
		_ = os.Remove(l.unix.file)
	}
}

// startUnixConn makes the Conn for a socket accepted on a unix listener;
// sa is the peer's address as accept gave it.
func (l *listener) startUnixConn(fd int, sa unix.Sockaddr) (*Conn, error) {
	remote := &net.UnixAddr{Net: "unix"}
	if s, ok := sa.(*unix.SockaddrUnix); ok {
		remote.Name = s.Name
	}
	c, err := (&conn{unix: &unixEnds{local: l.unix.addr, remote: remote}}).start(l.r, fd, l.readLimit)
	if err != nil {
		return nil, l.opError(err)
	}
	return c, nil
}

// dialUnix connects to the unix domain stream socket path on r. Timeout,
// Deadline, Control and ReadBufferLimit apply; the TCP options (NoDelay,
// KeepAlive) do not, and a local address (LocalHost, LocalPort) is an
// input error.
func (d *Dialer) dialUnix(ctx context.Context, r *reactor.Reactor, path string) (*Conn, error) {
	if err := unixPathError("Dial", path); err != nil {
		return nil, unixOpError("dial", path, err)
	}
	if d.LocalHost != "" || d.LocalPort != 0 {
		return nil, unixOpError("dial", path, &InputError{Op: "Dial", Arg: "LocalHost/LocalPort",
			Value: net.JoinHostPort(d.LocalHost, strconv.Itoa(d.LocalPort)), Reason: "no local address for a unix socket"})
	}
	nd := &net.Dialer{Timeout: d.Timeout, Deadline: d.Deadline, Control: d.Control}
	nc, err := nd.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, MapError(err)
	}
	ends := &unixEnds{local: unixAddrOf(nc.LocalAddr()), remote: unixAddrOf(nc.RemoteAddr())}
	fd, err := detachFD(nc.(*net.UnixConn))
	if err != nil {
		return nil, NewOpError("dial", "unix", ends.local, ends.remote, err)
	}
	c, err := (&conn{unix: ends}).start(r, fd, d.ReadBufferLimit)
	if err != nil {
		return nil, NewOpError("dial", "unix", ends.local, ends.remote, err)
	}
	return c, nil
}

// unixAddrOf returns a as a *net.UnixAddr; an unnamed end (nil) is an
// empty one, so that LocalAddr and RemoteAddr never return a typed nil.
func unixAddrOf(a net.Addr) *net.UnixAddr {
	if u, ok := a.(*net.UnixAddr); ok && u != nil {
		return u
	}
	return &net.UnixAddr{Net: "unix"}
}
