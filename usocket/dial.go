package usocket

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/reactor"
)

// Dialer holds the options for connecting; its fields are the keyword
// arguments of usocket's SOCKET-CONNECT. The zero value for each field is
// equivalent to connecting without that option, and a zero Dialer is ready
// to use. A Dialer may be used by several goroutines at once.
type Dialer struct {
	// Timeout bounds how long the connect may take (:TIMEOUT, and
	// :CONNECTION-TIMEOUT). 0 means no limit other than ctx and the
	// system's; a negative Timeout is an error. Unlike usocket, a refused
	// connection is reported as refused at once, not as a timeout.
	Timeout time.Duration

	// Deadline is the time by which the connect must be done (:DEADLINE,
	// which SBCL does not support). The zero time means none. When both
	// Timeout and Deadline are set the earlier wins, and ctx can end the
	// connect earlier still.
	Deadline time.Time

	// NoDelay sets TCP_NODELAY (:NODELAY). nil means on, usocket's default
	// (and the standard library's); new(false) turns Nagle's algorithm back
	// on.
	NoDelay *bool

	// KeepAlive turns on SO_KEEPALIVE with the system's probe timings. It is
	// off by default, as in usocket (the standard library turns it on).
	KeepAlive bool

	// LocalHost and LocalPort bind the local end before connecting
	// (:LOCAL-HOST, :LOCAL-PORT). "" means any address, 0 any port. A host
	// name is resolved like LookupHost does.
	LocalHost string
	LocalPort int

	// ReadBufferLimit bounds the received bytes waiting for the reader: it
	// is the size asked for the socket's receive buffer (SO_RCVBUF, which
	// Linux doubles for its bookkeeping). Once it is full, TCP flow control
	// holds the peer back. 0, the default, leaves SO_RCVBUF alone: the
	// kernel then autotunes the buffer, which a fixed size turns off (a
	// fixed buffer caps throughput near its size per round trip and can
	// stall transfers under load). Set it only to bound memory per
	// connection below what the kernel would choose.
	ReadBufferLimit int

	// Control, if not nil, is called after creating the socket and before
	// connecting, as net.Dialer.Control is.
	Control func(network, address string, c syscall.RawConn) error

	// Reactor runs the connection; nil means reactor.Default().
	Reactor *reactor.Reactor
}

// Connect connects to host:port over TCP with a zero Dialer; see
// Dialer.Connect.
func Connect(ctx context.Context, host string, port int) (*Conn, error) {
	var d Dialer
	return d.Connect(ctx, host, port)
}

// Connect connects to port on host (a name, or an IPv4 or IPv6 literal)
// over TCP. It is the Go form of usocket's SOCKET-CONNECT with :PROTOCOL
// :STREAM. ctx bounds the connect; once successfully connected, any
// expiration of the context will not affect the connection.
//
// Errors are *net.OpError values whose Err is an *Error carrying the
// condition class: errors.Is(err, ErrConnectionRefused) and
// errors.Is(err, syscall.ECONNREFUSED) both hold for a refused connection;
// an unknown host matches ErrHostNotFound; a connect that ran out of time
// matches ErrTimeout. An empty host, a port outside 0..65535 or a negative
// Timeout give an *InputError (inside a *net.OpError) matching
// ErrInvalidArgument.
func (d *Dialer) Connect(ctx context.Context, host string, port int) (*Conn, error) {
	if host == "" {
		return nil, dialInputError("tcp", &InputError{Op: "Connect", Arg: "host", Value: host, Reason: "empty host"})
	}
	if err := checkPort("Connect", port); err != nil {
		return nil, dialInputError("tcp", err)
	}
	addr, _ := JoinHostPort(host, port) // the port is checked
	return d.dial(ctx, "tcp", addr)
}

// DialContext connects to addr ("host:port") on network "tcp", "tcp4" or
// "tcp6", or to the unix domain stream socket at the path addr on network
// "unix" ("@name" is an abstract name on Linux), like
// net.Dialer.DialContext, so that a Dialer can serve as
// http.Transport.DialContext. The result is a *Conn; a unix one has
// *net.UnixAddr addresses and zero AddrPorts. For "unix", Timeout,
// Deadline, Control and ReadBufferLimit apply, NoDelay and KeepAlive do
// not, LocalHost and LocalPort are an *InputError, and so are an empty
// path and one longer than reactor.MaxUnixPath bytes (that one wrapping a
// *reactor.UnixPathError).
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.dial(ctx, network, addr)
	if err != nil {
		return nil, err // a literal nil, never a typed nil in the interface
	}
	return c, nil
}

func (d *Dialer) dial(ctx context.Context, network, addr string) (*Conn, error) {
	if ctx == nil {
		return nil, dialInputError(network, &InputError{Op: "Connect", Arg: "ctx", Value: "nil", Reason: "nil context"})
	}
	if network != "unix" && (!strings.HasPrefix(network, "tcp") || (network != "tcp" && network != "tcp4" && network != "tcp6")) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: net.UnknownNetworkError(network)}
	}
	if d.Timeout < 0 {
		return nil, dialInputError(network, &InputError{Op: "Connect", Arg: "Timeout", Value: d.Timeout, Reason: "negative"})
	}
	r, err := reactorOr(d.Reactor, "dial", network)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		return d.dialUnix(ctx, r, addr)
	}
	nd, err := d.netDialer(ctx, network)
	if err != nil {
		return nil, err
	}
	nc, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, MapError(err)
	}
	if d.NoDelay != nil && !*d.NoDelay {
		if err := nc.(*net.TCPConn).SetNoDelay(false); err != nil {
			_ = nc.Close()
			return nil, MapError(err)
		}
	}
	src, dst := nc.LocalAddr(), nc.RemoteAddr()
	fd, err := detachFD(nc.(*net.TCPConn))
	if err != nil {
		return nil, NewOpError("dial", network, src, dst, err)
	}
	c, err := startConn(r, fd, addrPortOf(dst), addrPortOf(src), d.ReadBufferLimit)
	if err != nil {
		return nil, NewOpError("dial", network, src, dst, err)
	}
	return c, nil
}

// reactorOr returns r, or the default reactor when r is nil.
func reactorOr(r *reactor.Reactor, op, network string) (*reactor.Reactor, error) {
	if r != nil {
		return r, nil
	}
	r, err := reactor.Default()
	if err != nil {
		return nil, MapError(&net.OpError{Op: op, Net: network, Err: err})
	}
	return r, nil
}

// netDialer builds the standard dialer that makes the socket and connects.
func (d *Dialer) netDialer(ctx context.Context, network string) (*net.Dialer, error) {
	nd := &net.Dialer{Timeout: d.Timeout, Deadline: d.Deadline, KeepAlive: -1, Control: d.Control}
	if d.KeepAlive {
		nd.KeepAlive = 0 // on, with the standard library's timings
	}
	if d.LocalHost == "" && d.LocalPort == 0 {
		return nd, nil
	}
	if err := checkPort("Connect", d.LocalPort); err != nil {
		return nil, dialInputError(network, err)
	}
	var ip netip.Addr
	if d.LocalHost != "" {
		var err error
		if ip, err = LookupHost(ctx, d.LocalHost); err != nil {
			return nil, &net.OpError{Op: "dial", Net: network, Err: err}
		}
	}
	nd.LocalAddr = &net.TCPAddr{IP: ip.AsSlice(), Port: d.LocalPort}
	return nd, nil
}

// dialInputError puts bad input to a connect in the standard shape.
func dialInputError(network string, err error) error {
	return &net.OpError{Op: "dial", Net: network, Err: err}
}

// addrPortOf returns the address of a *net.TCPAddr, IPv4-mapped addresses
// as plain IPv4, or the zero AddrPort.
func addrPortOf(a net.Addr) netip.AddrPort {
	if t, ok := a.(*net.TCPAddr); ok {
		return sockaddr.Unmap(t.AddrPort())
	}
	return netip.AddrPort{}
}
