//go:build windows || usocket_netstd

package udp

import (
	"net"
	"net/netip"
	"sync"

	"github.com/usocket-go/usocket/internal/netfd"
	"github.com/usocket-go/usocket/internal/sockaddr"
	"github.com/usocket-go/usocket/internal/unix"
	"github.com/usocket-go/usocket/reactor"
)

// The net backend's side of a Conn (Windows, or the usocket_netstd build
// tag): the *net.UDPConn behind an internal/netfd handle, whose receiver
// goroutine reports each datagram; sends are the UDPConn's own. Of the
// reactor only its stopping matters (the socket closes with it), and
// LoopOnly has no meaning here.

// loopWatcher runs the socket's "loop side" one call at a time, on the
// handle's receiver goroutine or, for Execute, on a goroutine of its own.
type loopWatcher = *netWatcher

type netWatcher struct {
	mu sync.Mutex // serialises the loop side, as one loop would
	nw *netfd.Watcher
}

// Execute runs f, serialised with the loop side, on another goroutine.
func (w *netWatcher) Execute(f func()) error {
	go w.run(f)
	return nil
}

func (w *netWatcher) run(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f()
}

// lendOptions: a goroutine per socket has no loop to lend.
func lendOptions() []reactor.WatchOption { return nil }

// lender: there is no loop to lend; waits park the plain way.
func (c *conn) lender() *reactor.Watcher { return nil }

// lend: nothing to set up without a loop to lend.
func (c *conn) lend() {}

// Release stops the callbacks.
func (w *netWatcher) Release() error { return w.nw.Release() }

// openFD takes nc behind a handle.
func openFD(nc *net.UDPConn) (int, error) { return netfd.Packet(nc), nil }

// watchSocket sets h's readable callback on the handle.
func watchSocket(r *reactor.Reactor, fd int, h *loopSide, _ []reactor.WatchOption) (loopWatcher, error) {
	select {
	case <-r.Done():
		return nil, reactor.ErrClosed
	default:
	}
	w := &netWatcher{}
	nw, err := netfd.Watch(fd, func() { w.run(func() { h.OnReadable(nil) }) }, nil)
	if err != nil {
		return nil, err
	}
	w.nw = nw
	nw.OnStop(r.Done(), func() { h.OnClose(nil, reactor.ErrClosed) }) // as on a loop
	return w, nil
}

func closeFD(fd int) { _ = netfd.Close(fd) }

// rawControl runs f with the socket's own descriptor (a SOCKET on Windows).
func rawControl(fd int, f func(fd uintptr)) error { return netfd.Control(fd, f) }

// socketFamily reports the address family of the socket, from its bound
// address.
func socketFamily(fd int) int {
	local, _, err := netfd.Addrs(fd)
	if ua, ok := local.(*net.UDPAddr); ok && err == nil && ua.AddrPort().Addr().Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// sendto sends b to sa (nil: the connected peer).
func sendto(fd int, b []byte, sa *sockaddr.Raw) (int, error) {
	var to netip.AddrPort
	if sa != nil {
		to = sockaddr.AddrPort(&sa.Sa, sa.Len)
	}
	return netfd.SendTo(fd, b, to)
}
