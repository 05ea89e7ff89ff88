package usocket

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"
)

// WildcardHost is usocket's *WILDCARD-HOST*: listen on every local IPv4
// address (0.0.0.0), as usocket does on SBCL.
const WildcardHost = ""

// AutoPort is usocket's *AUTO-PORT*: let the system choose the port.
const AutoPort = 0

// MaxPort is the largest TCP or UDP port number.
const MaxPort = 65535

// IPValue lists the Go forms of an IP address that the address functions
// accept, mirroring usocket's "host" argument: text (dotted quad or IPv6,
// never a host name: there is no DNS here), a 4- or 16-byte slice or array
// (usocket's vector quad and IPv6 vector), an IPv4 address in host byte
// order, and a netip.Addr. The empty string stands for [WildcardHost]
// (0.0.0.0), as NIL does in usocket.
type IPValue interface {
	string | []byte | net.IP | [4]byte | [16]byte | uint32 | netip.Addr
}

// CheckPort returns nil if port is in 0..65535 and an *InputError (matching
// ErrInvalidArgument) otherwise.
func CheckPort(port int) error {
	return checkPort("CheckPort", port)
}

func checkPort(op string, port int) error {
	if port < 0 || port > MaxPort {
		return &InputError{Op: op, Arg: "port", Value: port, Reason: "out of range 0..65535"}
	}
	return nil
}

// JoinHostPort is net.JoinHostPort with the port checked: it returns
// "host:port" ("[host]:port" for an IPv6 literal), or an *InputError
// matching ErrInvalidArgument when port is outside 0..65535.
func JoinHostPort(host string, port int) (string, error) {
	if err := checkPort("JoinHostPort", port); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// AddrOf converts any accepted form of an IP address to a netip.Addr. It
// is the address half of usocket's HOST-TO-HOSTNAME: AddrOf(v).String()
// gives the text. Text that is not an IP literal, a slice that is not 4 or
// 16 bytes long and the zero netip.Addr give an *InputError.
func AddrOf[T IPValue](v T) (netip.Addr, error) {
	return toAddr("AddrOf", v)
}

// toAddr is AddrOf with the calling function's name for errors.
func toAddr(op string, v any) (netip.Addr, error) {
	switch x := v.(type) {
	case string:
		if x == WildcardHost {
			return netip.IPv4Unspecified(), nil
		}
		a, err := netip.ParseAddr(x)
		if err != nil {
			return netip.Addr{}, &InputError{Op: op, Arg: "address", Value: x, Reason: "not an IP address literal", Err: err}
		}
		return a, nil
	case net.IP:
		return bytesToAddr(op, x)
	case []byte:
		return bytesToAddr(op, x)
	case [4]byte:
		return netip.AddrFrom4(x), nil
	case [16]byte:
		return netip.AddrFrom16(x), nil
	case uint32:
		return AddrFromHostByteOrder(x), nil
	case netip.Addr:
		if !x.IsValid() {
			return netip.Addr{}, &InputError{Op: op, Arg: "address", Value: x, Reason: "zero netip.Addr"}
		}
		return x, nil
	}
	return netip.Addr{}, &InputError{Op: op, Arg: "address", Value: v, Reason: "unsupported type"}
}

func bytesToAddr(op string, b []byte) (netip.Addr, error) {
	if a, ok := netip.AddrFromSlice(b); ok {
		return a, nil
	}
	return netip.Addr{}, &InputError{Op: op, Arg: "address", Value: b, Reason: "length is not 4 or 16"}
}

// HostByteOrder is usocket's HOST-BYTE-ORDER: the IPv4 address v as a
// 32-bit integer, most significant octet first ("1.2.3.4" → 0x01020304).
// IPv4-mapped IPv6 addresses count as IPv4. Any other IPv6 address gives an
// *InputError (usocket returns 0 for it).
func HostByteOrder[T IPValue](v T) (uint32, error) {
	a, err := toIPv4("HostByteOrder", v)
	if err != nil {
		return 0, err
	}
	q := a.As4()
	return binary.BigEndian.Uint32(q[:]), nil
}

// toIPv4 converts v and insists on an IPv4 (or IPv4-mapped) address.
func toIPv4(op string, v any) (netip.Addr, error) {
	a, err := toAddr(op, v)
	if err != nil {
		return netip.Addr{}, err
	}
	a = a.Unmap()
	if !a.Is4() {
		return netip.Addr{}, &InputError{Op: op, Arg: "address", Value: a, Reason: "not an IPv4 address"}
	}
	return a, nil
}

// AddrFromHostByteOrder is the inverse of HostByteOrder.
func AddrFromHostByteOrder(n uint32) netip.Addr {
	return netip.AddrFrom4(QuadFromHostByteOrder(n))
}

// QuadFromHostByteOrder is usocket's HBO-TO-VECTOR-QUAD.
func QuadFromHostByteOrder(n uint32) [4]byte {
	var q [4]byte
	binary.BigEndian.PutUint32(q[:], n)
	return q
}

// DottedQuadFromHostByteOrder is usocket's HBO-TO-DOTTED-QUAD.
func DottedQuadFromHostByteOrder(n uint32) string {
	return AddrFromHostByteOrder(n).String()
}

// ParseDottedQuad is usocket's DOTTED-QUAD-TO-VECTOR-QUAD. Unlike usocket
// it is strict: exactly four decimal parts, each 0..255, no leading zeros;
// anything else gives an *InputError.
func ParseDottedQuad(s string) ([4]byte, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return [4]byte{}, &InputError{Op: "ParseDottedQuad", Arg: "address", Value: s, Reason: "not a dotted quad", Err: err}
	}
	if !a.Is4() {
		return [4]byte{}, &InputError{Op: "ParseDottedQuad", Arg: "address", Value: s, Reason: "not a dotted quad"}
	}
	return a.As4(), nil
}

// DottedQuad is usocket's VECTOR-QUAD-TO-DOTTED-QUAD.
func DottedQuad(q [4]byte) string {
	return netip.AddrFrom4(q).String()
}

// ParseIPv6 is usocket's IPV6-HOST-TO-VECTOR. It accepts every RFC 4291
// text form, including "::" and an embedded IPv4 tail, both of which
// usocket rejects, and rejects IPv4 text and zones ("fe80::1%lo") with an
// *InputError.
func ParseIPv6(s string) ([16]byte, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return [16]byte{}, &InputError{Op: "ParseIPv6", Arg: "address", Value: s, Reason: "not an IPv6 address", Err: err}
	}
	if !a.Is6() || a.Zone() != "" {
		return [16]byte{}, &InputError{Op: "ParseIPv6", Arg: "address", Value: s, Reason: "not an IPv6 address without zone"}
	}
	return a.As16(), nil
}

// IPv6String is usocket's VECTOR-TO-IPV6-HOST. It prints RFC 5952 text as
// netip.Addr.String does (lower case, longest zero run, "::ffff:1.2.3.4"
// for IPv4-mapped addresses), not usocket's upper-case form.
func IPv6String(v [16]byte) string {
	return netip.AddrFrom16(v).String()
}

// IPEqual is usocket's IP= (and !IPEqual is IP/=): it reports whether a and
// b are the same IP address, whatever their forms, so
// IPEqual("127.0.0.1", [4]byte{127, 0, 0, 1}) is true. An IPv4 address
// equals its IPv4-mapped IPv6 form, as with net.IP.Equal. Zones must match.
// A value that is not an address (a host name, a 5-byte slice) equals
// nothing, as usocket does without DNS; "" equals "0.0.0.0".
func IPEqual[A, B IPValue](a A, b B) bool {
	x, err := toAddr("IPEqual", a)
	if err != nil {
		return false
	}
	y, err := toAddr("IPEqual", b)
	if err != nil {
		return false
	}
	return x.Unmap() == y.Unmap()
}

// PutUint is usocket's INTEGER-TO-OCTET-BUFFER: it writes v into the first
// octets bytes of buf, most significant byte first (pass buf[start:] for
// usocket's :start). It returns an *InputError if octets is negative,
// buf is shorter than octets, or v does not fit in octets bytes.
func PutUint(buf []byte, v uint64, octets int) error {
	if err := checkOctets("PutUint", buf, octets); err != nil {
		return err
	}
	if octets < 8 && v>>(8*uint(octets)) != 0 {
		return &InputError{Op: "PutUint", Arg: "value", Value: v, Reason: "does not fit in " + strconv.Itoa(octets) + " octets"}
	}
	for i := octets - 1; i >= 0; i-- {
		buf[i] = byte(v)
		v >>= 8
	}
	return nil
}

// UintFrom is usocket's OCTET-BUFFER-TO-INTEGER: it reads the first octets
// bytes of buf as a big-endian integer. It returns an *InputError if octets
// is negative, buf is shorter than octets, or the value exceeds 64 bits.
func UintFrom(buf []byte, octets int) (uint64, error) {
	if err := checkOctets("UintFrom", buf, octets); err != nil {
		return 0, err
	}
	var v uint64
	for i, b := range buf[:octets] {
		if v>>56 != 0 {
			return 0, &InputError{Op: "UintFrom", Arg: "buffer", Value: buf[:octets], Reason: "value exceeds 64 bits at octet " + strconv.Itoa(i)}
		}
		v = v<<8 | uint64(b)
	}
	return v, nil
}

func checkOctets(op string, buf []byte, octets int) error {
	switch {
	case octets < 0:
		return &InputError{Op: op, Arg: "octets", Value: octets, Reason: "negative"}
	case len(buf) < octets:
		return &InputError{Op: op, Arg: "buffer", Value: len(buf), Reason: "shorter than " + strconv.Itoa(octets) + " octets"}
	}
	return nil
}

// PutPort is usocket's PORT-TO-OCTET-BUFFER: it writes port into buf[0:2],
// big-endian. A port outside 0..65535 or a short buf gives an *InputError.
func PutPort(buf []byte, port int) error {
	if err := checkPort("PutPort", port); err != nil {
		return err
	}
	return PutUint(buf, uint64(port), 2)
}

// PortFrom is usocket's PORT-FROM-OCTET-BUFFER: the big-endian port in
// buf[0:2]. A short buf gives an *InputError.
func PortFrom(buf []byte) (int, error) {
	if err := checkOctets("PortFrom", buf, 2); err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(buf)), nil
}

// PutIP is usocket's IP-TO-OCTET-BUFFER: it writes the IPv4 address ip into
// buf[0:4] in network order. IPv6 addresses (other than IPv4-mapped ones),
// non-addresses and a short buf give an *InputError.
func PutIP[T IPValue](buf []byte, ip T) error {
	a, err := toIPv4("PutIP", ip)
	if err != nil {
		return err
	}
	if err := checkOctets("PutIP", buf, 4); err != nil {
		return err
	}
	q := a.As4()
	copy(buf, q[:])
	return nil
}

// IPFrom is usocket's IP-FROM-OCTET-BUFFER: the IPv4 address in buf[0:4].
// (usocket returns it in host byte order; use HostByteOrder for that.) A
// short buf gives an *InputError.
func IPFrom(buf []byte) (netip.Addr, error) {
	if err := checkOctets("IPFrom", buf, 4); err != nil {
		return netip.Addr{}, err
	}
	return netip.AddrFrom4([4]byte(buf[:4])), nil
}
