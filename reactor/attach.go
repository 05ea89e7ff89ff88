package reactor

import (
	"context"
	"net"
	"net/netip"
)

// Dial connects to address with a zero net.Dialer and attaches the
// connection; see Attach. network is one net.Dial takes for a stream:
// "tcp", "tcp4", "tcp6", or "unix" with a socket path (or, on Linux, an
// abstract "@name"); a path longer than MaxUnixPath gives a
// *UnixPathError. Once connected, ctx no longer matters.
func (r *Reactor) Dial(ctx context.Context, network, address string, h Handler) (*Conn, error) {
	if h == nil {
		return nil, ErrNilHandler
	}
	if err := checkUnix("dial", network, address); err != nil {
		return nil, err
	}
	if r.stopped() {
		return nil, ErrClosed
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return r.Attach(nc, h)
}

// Attach moves a connected stream socket (a *net.TCPConn or *net.UnixConn,
// for example from net.Dialer, which gives connect timeouts, local binds
// and the standard error shapes) onto a loop: its descriptor is
// duplicated, nc is closed, and the returned Conn takes over. OnOpen runs
// on the loop shortly after Attach returns; writes made before that are
// queued.
func (r *Reactor) Attach(nc net.Conn, h Handler) (*Conn, error) {
	if nc == nil {
		return nil, ErrNotSocket
	}
	if h == nil {
		_ = nc.Close()
		return nil, ErrNilHandler
	}
	var remote netip.AddrPort
	if a, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		remote = a.AddrPort()
	}
	var local netip.AddrPort
	if a, ok := nc.LocalAddr().(*net.TCPAddr); ok {
		local = a.AddrPort()
	}
	ua := unixAddrsOf(nc)
	fd, cio, err := takeConn(nc, r.opts.ReadBufferSize)
	if err != nil {
		return nil, err
	}
	l := r.pick()
	c := newConn(l, fd, h, remote)
	c.io, c.local, c.unix = cio, local, ua
	if err := l.run(registerConnTask, c); err != nil {
		c.discard()
		return nil, err
	}
	l.stats.dialed.Add(1)
	return c, nil
}
