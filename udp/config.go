package udp

import (
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/unix"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
)

// MaxDatagramSize is usocket's +MAX-DATAGRAM-PACKET-SIZE+: the largest UDP
// payload over IPv4 (65535 - 8-byte UDP header - 20-byte IP header). Sends
// of more bytes fail with [ErrDatagramTooLarge] before any system call.
const MaxDatagramSize = 65507

// Default queue limits; see [Config].
const (
	// DefaultReadQueueLen is the default Config.ReadQueueLen (datagrams).
	DefaultReadQueueLen = 1024
	// DefaultReadBufferLimit is the default Config.ReadBufferLimit (bytes).
	DefaultReadBufferLimit = 4 << 20
)

// Config holds the options of a datagram socket, the keyword arguments of
// usocket's SOCKET-CONNECT with :PROTOCOL :DATAGRAM. The zero value for each
// field is equivalent to calling Dial or Listen without that option. A
// Config may be used for many sockets and concurrently.
type Config struct {
	// LocalHost and LocalPort bind a socket made by Dial before it
	// connects (usocket's :LOCAL-HOST and :LOCAL-PORT). "" is the wildcard
	// address, 0 a port chosen by the system. Listen ignores them: its
	// arguments are the local address.
	LocalHost string
	LocalPort int

	// ReuseAddress sets SO_REUSEADDR before binding. It is off by default,
	// and should stay off for a socket that serves: on Linux, UDP sockets
	// that all set it may share a port whatever user owns them, so any
	// local user can bind a server's port too and take a share of its
	// datagrams. (usocket's :reuse-address is about TCP's TIME_WAIT, which
	// UDP does not have.) To share a port among sockets of one program,
	// use ReusePort.
	ReuseAddress bool

	// ReusePort sets SO_REUSEPORT before binding, so that sockets that all
	// set it share a port and the kernel spreads datagrams over them. Linux
	// allows it only among sockets of the same effective user, so other
	// users cannot join. It is never set otherwise: binding a port already
	// bound then fails with an error matching usocket.ErrAddressInUse and
	// syscall.EADDRINUSE.
	ReusePort bool

	// Broadcast sets SO_BROADCAST, which allows sending to broadcast
	// addresses (usocket's :BROADCAST socket option). It is off by default
	// (the Go runtime would turn it on; usocket leaves it off).
	Broadcast bool

	// ReadTimeout is usocket's receive timeout (:TIMEOUT, :READ-TIMEOUT):
	// each blocking receive fails with a timeout error after waiting that
	// long, on top of any read deadline. 0 means no timeout.
	ReadTimeout time.Duration

	// ReadQueueLen is the number of received datagrams held for the
	// reader; 0 means DefaultReadQueueLen. ReadBufferLimit bounds their
	// total size in bytes; 0 means DefaultReadBufferLimit. When either is
	// reached the socket stops reading, so further datagrams wait in (or
	// are dropped by) the kernel's receive buffer until the reader catches
	// up.
	ReadQueueLen    int
	ReadBufferLimit int

	// ReadBuffer and WriteBuffer set SO_RCVBUF and SO_SNDBUF; 0 leaves the
	// system default.
	ReadBuffer  int
	WriteBuffer int

	// Reactor runs the socket; nil means reactor.Default().
	Reactor *reactor.Reactor

	// Responder, when set, makes the socket answer datagrams on its event
	// loop instead of queueing them for Receive; see [Responder].
	Responder Responder
}

// Responder answers one datagram on the event loop: req is the datagram
// (its first 64 KiB; valid only during the call), from its sender, and a
// non-nil reply is sent back to from (nil sends nothing). Replies of a
// batch of received datagrams go out in one sendmmsg call; a reply that
// does not fit in the socket's send buffer, or is larger than
// MaxDatagramSize, is dropped, as UDP may drop it anyway.
//
// A Responder runs on an event loop and must not block. A panic in it is
// reported to the reactor's ErrorHook and closes the socket. On a socket
// with a Responder, Receive, ReadFrom and Read fail with
// ErrResponderSocket; Send, WriteTo and Write work as usual.
type Responder func(req []byte, from netip.AddrPort) (reply []byte)

// Dial is usocket's SOCKET-CONNECT with :PROTOCOL :DATAGRAM and a host: it
// returns a socket connected to host:port (a name or an IP literal, IPv4 or
// IPv6), which only exchanges datagrams with that peer. It uses the zero
// Config. ctx bounds name resolution; once connected, any expiration of the
// context will not affect the socket.
func Dial(ctx context.Context, host string, port int) (*Conn, error) {
	var c Config
	return c.Dial(ctx, host, port)
}

// Listen is usocket's SOCKET-CONNECT with :PROTOCOL :DATAGRAM and no host:
// it returns an unconnected socket bound to host:port, which receives from
// and sends to any peer. host "" ([usocket.WildcardHost]) binds every local
// IPv4 and IPv6 address; port 0 ([usocket.AutoPort]) lets the system choose
// (see LocalAddr). It uses the zero Config.
func Listen(ctx context.Context, host string, port int) (*Conn, error) {
	var c Config
	return c.Listen(ctx, host, port)
}

// Dial is like the package-level Dial with c's options.
func (c *Config) Dial(ctx context.Context, host string, port int) (*Conn, error) {
	if err := c.check("Dial", port); err != nil {
		return nil, err
	}
	if host == "" {
		return nil, &net.OpError{Op: "dial", Net: network,
			Err: &usocket.InputError{Op: "udp.Dial", Arg: "host", Value: host, Reason: "a peer is required (use Listen for an unconnected socket)"}}
	}
	d := net.Dialer{Control: c.control}
	if c.LocalHost != "" || c.LocalPort != 0 {
		la, err := c.localAddr(ctx)
		if err != nil {
			return nil, err
		}
		d.LocalAddr = la
	}
	nc, err := d.DialContext(ctx, network, net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, usocket.MapError(err)
	}
	return c.adopt("dial", nc.(*net.UDPConn), true)
}

// Listen is like the package-level Listen with c's options.
func (c *Config) Listen(ctx context.Context, host string, port int) (*Conn, error) {
	if err := c.check("Listen", port); err != nil {
		return nil, err
	}
	lc := net.ListenConfig{Control: c.control}
	pc, err := lc.ListenPacket(ctx, network, net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, usocket.MapError(err)
	}
	return c.adopt("listen", pc.(*net.UDPConn), false)
}

// check validates the port and the options.
func (c *Config) check(fn string, port int) error {
	bad := func(arg string, v any, reason string) error {
		op := "listen"
		if fn == "Dial" {
			op = "dial"
		}
		return &net.OpError{Op: op, Net: network,
			Err: &usocket.InputError{Op: "udp." + fn, Arg: arg, Value: v, Reason: reason}}
	}
	switch {
	case port < 0 || port > usocket.MaxPort:
		return bad("port", port, "out of range 0..65535")
	case c.LocalPort < 0 || c.LocalPort > usocket.MaxPort:
		return bad("LocalPort", c.LocalPort, "out of range 0..65535")
	case c.ReadTimeout < 0:
		return bad("ReadTimeout", c.ReadTimeout, "negative")
	case c.ReadQueueLen < 0:
		return bad("ReadQueueLen", c.ReadQueueLen, "negative")
	case c.ReadBufferLimit < 0:
		return bad("ReadBufferLimit", c.ReadBufferLimit, "negative")
	case c.ReadBuffer < 0 || c.WriteBuffer < 0:
		return bad("ReadBuffer/WriteBuffer", c.ReadBuffer, "negative")
	}
	return nil
}

// localAddr resolves LocalHost:LocalPort for Dial.
func (c *Config) localAddr(ctx context.Context) (*net.UDPAddr, error) {
	if c.LocalHost == "" {
		return &net.UDPAddr{Port: c.LocalPort}, nil
	}
	a, err := usocket.LookupHost(ctx, c.LocalHost)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	return &net.UDPAddr{IP: a.AsSlice(), Port: c.LocalPort}, nil
}

// control sets the socket options that must precede bind.
func (c *Config) control(_, _ string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		set := func(name string, opt, v int) {
			if serr == nil {
				if e := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, v); e != nil {
					serr = os.NewSyscallError("setsockopt "+name, e)
				}
			}
		}
		if c.ReuseAddress {
			set("SO_REUSEADDR", unix.SO_REUSEADDR, 1)
		}
		if c.ReusePort {
			set("SO_REUSEPORT", unix.SO_REUSEPORT, 1)
		}
		set("SO_BROADCAST", unix.SO_BROADCAST, boolInt(c.Broadcast))
		if c.ReadBuffer > 0 {
			set("SO_RCVBUF", unix.SO_RCVBUF, c.ReadBuffer)
		}
		if c.WriteBuffer > 0 {
			set("SO_SNDBUF", unix.SO_SNDBUF, c.WriteBuffer)
		}
	})
	if err != nil {
		return err
	}
	return serr
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *Config) reactor() (*reactor.Reactor, error) {
	if c.Reactor != nil {
		return c.Reactor, nil
	}
	return reactor.Default()
}

func (c *Config) queueLen() int {
	if c.ReadQueueLen > 0 {
		return c.ReadQueueLen
	}
	return DefaultReadQueueLen
}

func (c *Config) bufferLimit() int {
	if c.ReadBufferLimit > 0 {
		return c.ReadBufferLimit
	}
	return DefaultReadBufferLimit
}
