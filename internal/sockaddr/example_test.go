//go:build unix

package sockaddr_test

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/internal/sockaddr"
)

func ExampleFromSockaddr() {
	// An IPv4 client accepted on a dual-stack socket comes back as IPv4.
	sa := &unix.SockaddrInet6{Port: 7007, Addr: netip.MustParseAddr("::ffff:192.0.2.1").As16()}
	fmt.Println(sockaddr.FromSockaddr(sa))
	// Output: 192.0.2.1:7007
}
