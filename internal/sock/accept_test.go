//go:build unix

package sock

import (
	"net"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestAcceptNonblockingCloexec: Accept returns the connection already
// non-blocking and close-on-exec, with the peer's address, on every system
// (accept4 where x/sys has it, accept then fcntl elsewhere).
func TestAcceptNonblockingCloexec(t *testing.T) {
	ln, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(ln)
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(ln, 8); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(ln)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*unix.SockaddrInet4).Port
	c, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	fd, peer, err := Accept(ln) // the listener blocks: the connection is queued
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK == 0 {
		t.Errorf("accepted fd flags %#x, %v: want O_NONBLOCK", fl, err)
	}
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil || fl&unix.FD_CLOEXEC == 0 {
		t.Errorf("accepted fd descriptor flags %#x, %v: want FD_CLOEXEC", fl, err)
	}
	p4, ok := peer.(*unix.SockaddrInet4)
	if !ok || p4.Addr != [4]byte{127, 0, 0, 1} || p4.Port != c.LocalAddr().(*net.TCPAddr).Port {
		t.Errorf("peer %#v, want the dialer's address %v", peer, c.LocalAddr())
	}
}
