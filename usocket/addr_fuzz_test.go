package usocket_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/usocket-go/usocket/usocket"
)

// Each fuzz target runs its seed corpus as a unit test in a plain
// "go test"; "go test -fuzz=FuzzX" explores further.

func FuzzParseDottedQuad(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "255.255.255.255", "0.0.0.0", "1.2.3", "300.1.1.1", "01.2.3.4", "::1", "", "1..2.3", "1.2.3.4\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := usocket.ParseDottedQuad(s)
		if err != nil {
			if !errors.Is(err, usocket.ErrInvalidArgument) {
				t.Fatalf("ParseDottedQuad(%q): error %v does not match ErrInvalidArgument", s, err)
			}
			return
		}
		// A valid dotted quad is canonical, so it prints back unchanged.
		if got := usocket.DottedQuad(q); got != s {
			t.Fatalf("DottedQuad(ParseDottedQuad(%q)) = %q", s, got)
		}
		n, err := usocket.HostByteOrder(s)
		if err != nil || usocket.QuadFromHostByteOrder(n) != q {
			t.Fatalf("HostByteOrder(%q) = %#x, %v; disagrees with %v", s, n, err, q)
		}
	})
}

func FuzzParseIPv6(f *testing.F) {
	for _, s := range []string{"::1", "::", "fe80::", "2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "fe80::1%lo", "1::2::3", "12345::1", "1.2.3.4", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := usocket.ParseIPv6(s)
		if err != nil {
			if !errors.Is(err, usocket.ErrInvalidArgument) {
				t.Fatalf("ParseIPv6(%q): error %v does not match ErrInvalidArgument", s, err)
			}
			return
		}
		text := usocket.IPv6String(v)
		back, err := usocket.ParseIPv6(text)
		if err != nil || back != v {
			t.Fatalf("ParseIPv6(IPv6String(%v)) = %v, %v", v, back, err)
		}
		if !usocket.IPEqual(s, v) {
			t.Fatalf("IPEqual(%q, its vector) is false", s)
		}
	})
}

func FuzzHostByteOrder(f *testing.F) {
	for _, n := range []uint32{0, 1, 0x7f000001, 0xffffffff, 0x01020304} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n uint32) {
		a := usocket.AddrFromHostByteOrder(n)
		if got, err := usocket.HostByteOrder(a); err != nil || got != n {
			t.Fatalf("HostByteOrder(AddrFromHostByteOrder(%#x)) = %#x, %v", n, got, err)
		}
		s := usocket.DottedQuadFromHostByteOrder(n)
		q, err := usocket.ParseDottedQuad(s)
		if err != nil || q != usocket.QuadFromHostByteOrder(n) || !usocket.IPEqual(s, n) {
			t.Fatalf("dotted quad %q of %#x does not round-trip: %v, %v", s, n, q, err)
		}
		buf := make([]byte, 4)
		if err := usocket.PutIP(buf, n); err != nil {
			t.Fatal(err)
		}
		if back, err := usocket.IPFrom(buf); err != nil || back != a {
			t.Fatalf("IPFrom(PutIP(%#x)) = %v, %v", n, back, err)
		}
	})
}

func FuzzUintOctets(f *testing.F) {
	f.Add(uint64(0), 0, 0)
	f.Add(uint64(0x010203), 3, 2)
	f.Add(uint64(1<<63), 8, 0)
	f.Add(uint64(256), 1, 0)
	f.Add(uint64(7), -1, 0)
	f.Add(uint64(7), 12, 1)
	f.Fuzz(func(t *testing.T, v uint64, octets, start int) {
		if octets > 64 || start < 0 || start > 16 {
			return // keep buffers small; these are not interesting
		}
		buf := make([]byte, start+max(octets, 0))
		err := usocket.PutUint(buf[start:], v, octets)
		fits := octets >= 8 || (octets >= 0 && v>>(8*uint(octets)) == 0)
		if (err == nil) != fits {
			t.Fatalf("PutUint(%#x, %d) = %v; fits = %v", v, octets, err, fits)
		}
		if err != nil {
			if !errors.Is(err, usocket.ErrInvalidArgument) {
				t.Fatalf("PutUint: %v does not match ErrInvalidArgument", err)
			}
			return
		}
		got, err := usocket.UintFrom(buf[start:], octets)
		if err != nil || got != v {
			t.Fatalf("UintFrom(PutUint(%#x, %d)) = %#x, %v", v, octets, got, err)
		}
	})
}

func FuzzUintFromGarbage(f *testing.F) {
	f.Add([]byte{1, 2, 3}, 3)
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0}, 9)
	f.Add([]byte{}, 1)
	f.Fuzz(func(t *testing.T, buf []byte, octets int) {
		v, err := usocket.UintFrom(buf, octets)
		if err != nil {
			if !errors.Is(err, usocket.ErrInvalidArgument) {
				t.Fatalf("UintFrom: %v does not match ErrInvalidArgument", err)
			}
			return
		}
		out := make([]byte, octets)
		if err := usocket.PutUint(out, v, octets); err != nil || string(out) != string(buf[:octets]) {
			t.Fatalf("PutUint(UintFrom(%v)) = %v, %v", buf[:octets], out, err)
		}
	})
}

func FuzzPort(f *testing.F) {
	for _, p := range []int{0, 1, 80, 65535, 65536, -1} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, port int) {
		buf := make([]byte, 2)
		err := usocket.PutPort(buf, port)
		hp, jerr := usocket.JoinHostPort("::1", port)
		valid := port >= 0 && port <= 65535
		if (err == nil) != valid || (jerr == nil) != valid {
			t.Fatalf("port %d: PutPort %v, JoinHostPort %v; valid = %v", port, err, jerr, valid)
		}
		if !valid {
			if !errors.Is(err, usocket.ErrInvalidArgument) || !errors.Is(jerr, usocket.ErrInvalidArgument) {
				t.Fatalf("port %d: errors %v / %v do not match ErrInvalidArgument", port, err, jerr)
			}
			return
		}
		if got, err := usocket.PortFrom(buf); err != nil || got != port {
			t.Fatalf("PortFrom(PutPort(%d)) = %d, %v", port, got, err)
		}
		if ap, err := netip.ParseAddrPort(hp); err != nil || int(ap.Port()) != port {
			t.Fatalf("JoinHostPort(::1, %d) = %q does not parse back: %v", port, hp, err)
		}
	})
}

func FuzzIPEqual(f *testing.F) {
	f.Add("127.0.0.1", "::ffff:127.0.0.1")
	f.Add("", "0.0.0.0")
	f.Add("localhost", "localhost")
	f.Add("FE80::1", "fe80::1%eth0")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := usocket.IPEqual(a, b), usocket.IPEqual(b, a)
		if ab != ba {
			t.Fatalf("IPEqual(%q, %q) = %v but reversed = %v", a, b, ab, ba)
		}
		x, errA := usocket.AddrOf(a)
		if errA != nil {
			if usocket.IPEqual(a, a) {
				t.Fatalf("IPEqual(%q, itself) is true for a non-address", a)
			}
			return
		}
		if !usocket.IPEqual(a, a) || !usocket.IPEqual(a, x) {
			t.Fatalf("IPEqual is not reflexive for %q", a)
		}
		if x.Is4() && !usocket.IPEqual(a, x.As4()) {
			t.Fatalf("IPEqual(%q, %v) is false", a, x.As4())
		}
		if x.Zone() == "" && !usocket.IPEqual(a, x.As16()) {
			t.Fatalf("IPEqual(%q, %v) is false", a, x.As16())
		}
	})
}
