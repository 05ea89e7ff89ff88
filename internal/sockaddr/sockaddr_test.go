//go:build unix

package sockaddr

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRoundTrip: Set then AddrPort gives the address back, unmapped, for
// both families; FromSockaddr agrees.
func TestRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		ap     string
		family int
		want   string
	}{
		{"127.0.0.1:53", unix.AF_INET, "127.0.0.1:53"},
		{"127.0.0.1:53", unix.AF_INET6, "127.0.0.1:53"},
		{"[::ffff:10.0.0.1]:80", unix.AF_INET, "10.0.0.1:80"},
		{"[::1]:65535", unix.AF_INET6, "[::1]:65535"},
		{"[fe80::1%7]:1", unix.AF_INET6, "[fe80::1%7]:1"},
	} {
		var r Raw
		if !r.Set(netip.MustParseAddrPort(tt.ap), tt.family) {
			t.Fatalf("Set(%s, %d) failed", tt.ap, tt.family)
		}
		if got := AddrPort(&r.Sa, r.Len); got.String() != tt.want {
			t.Errorf("round trip of %s = %s, want %s", tt.ap, got, tt.want)
		}
	}
	var r Raw
	if r.Set(netip.MustParseAddrPort("[::1]:1"), unix.AF_INET) {
		t.Error("an IPv6 address was encoded for an IPv4 socket")
	}
	if got := FromSockaddr(&unix.SockaddrInet6{Port: 9, Addr: netip.MustParseAddr("::ffff:1.2.3.4").As16()}); got.String() != "1.2.3.4:9" {
		t.Errorf("FromSockaddr of a mapped address = %s", got)
	}
	if got := FromSockaddr(&unix.SockaddrInet4{Port: 9, Addr: [4]byte{1, 2, 3, 4}}); got.String() != "1.2.3.4:9" {
		t.Errorf("FromSockaddr of IPv4 = %s", got)
	}
	if got := FromSockaddr(&unix.SockaddrUnix{Name: "x"}); got.IsValid() {
		t.Errorf("FromSockaddr of a unix address = %s", got)
	}
}
