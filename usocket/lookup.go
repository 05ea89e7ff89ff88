package usocket

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
)

// Resolver looks up host names the way usocket's GET-HOST(S)-BY-NAME do,
// over a *net.Resolver. The zero value uses net.DefaultResolver. It is safe
// to call a Resolver's methods concurrently.
//
// Errors are *Error values around the resolver's *net.DNSError (reach it
// with errors.As) and match ErrNameService and one of ErrHostNotFound,
// ErrTryAgain, ErrNoRecovery or ErrNameServiceUnknown. Bad arguments give
// an *InputError.
type Resolver struct {
	// Net is the resolver to use; nil means net.DefaultResolver.
	Net *net.Resolver
}

// DefaultResolver is the Resolver used by the package-level Lookup
// functions.
var DefaultResolver = &Resolver{}

func (r *Resolver) net() *net.Resolver {
	if r == nil || r.Net == nil {
		return net.DefaultResolver
	}
	return r.Net
}

// LookupHosts is usocket's GET-HOSTS-BY-NAME: every address of name, all
// IPv4 addresses first, then all IPv6 addresses, each group in the
// resolver's order. IPv4 addresses come back as 4-byte addresses, never
// IPv4-mapped. An IP literal is returned as is, without DNS. A name with
// no addresses gives an error matching ErrHostNotFound (usocket returns
// NIL).
func (r *Resolver) LookupHosts(ctx context.Context, name string) ([]netip.Addr, error) {
	if err := checkLookup(ctx, "LookupHosts", name); err != nil {
		return nil, err
	}
	if a, err := netip.ParseAddr(name); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := r.net().LookupNetIP(ctx, "ip", name)
	if err != nil {
		return nil, lookupError(err)
	}
	if len(addrs) == 0 {
		return nil, notFound(name)
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		if a = a.Unmap(); a.Is4() {
			out = append(out, a)
		}
	}
	for _, a := range addrs {
		if a = a.Unmap(); !a.Is4() {
			out = append(out, a)
		}
	}
	return out, nil
}

// LookupHost is usocket's GET-HOST-BY-NAME: the first IPv4 address of name
// if it has one, else its first address. (usocket's *IPV6-ONLY-P* is not
// ported.) Errors are as for LookupHosts.
func (r *Resolver) LookupHost(ctx context.Context, name string) (netip.Addr, error) {
	addrs, err := r.LookupHosts(ctx, name)
	if err != nil {
		return netip.Addr{}, err
	}
	return addrs[0], nil // LookupHosts puts IPv4 first
}

// LookupRandomHost is usocket's GET-RANDOM-HOST-BY-NAME: a random IPv4
// address of name if it has any, else a random address of any family.
// Errors are as for LookupHosts.
func (r *Resolver) LookupRandomHost(ctx context.Context, name string) (netip.Addr, error) {
	addrs, err := r.LookupHosts(ctx, name)
	if err != nil {
		return netip.Addr{}, err
	}
	n := 0
	for n < len(addrs) && addrs[n].Is4() {
		n++
	}
	if n == 0 {
		n = len(addrs)
	}
	return addrs[rand.IntN(n)], nil
}

// LookupAddr is the Go form of usocket's internal GET-HOST-BY-ADDRESS: the
// names of addr, by reverse lookup. An invalid addr gives an *InputError;
// an address with no names gives an error matching ErrHostNotFound.
func (r *Resolver) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	if !addr.IsValid() {
		return nil, &InputError{Op: "LookupAddr", Arg: "address", Value: addr, Reason: "zero netip.Addr"}
	}
	if ctx == nil {
		return nil, &InputError{Op: "LookupAddr", Arg: "ctx", Value: "nil", Reason: "nil context"}
	}
	names, err := r.net().LookupAddr(ctx, addr.String())
	if err != nil {
		return nil, lookupError(err)
	}
	if len(names) == 0 {
		return nil, notFound(addr.String())
	}
	return names, nil
}

// LookupHosts calls DefaultResolver.LookupHosts.
func LookupHosts(ctx context.Context, name string) ([]netip.Addr, error) {
	return DefaultResolver.LookupHosts(ctx, name)
}

// LookupHost calls DefaultResolver.LookupHost.
func LookupHost(ctx context.Context, name string) (netip.Addr, error) {
	return DefaultResolver.LookupHost(ctx, name)
}

// LookupRandomHost calls DefaultResolver.LookupRandomHost.
func LookupRandomHost(ctx context.Context, name string) (netip.Addr, error) {
	return DefaultResolver.LookupRandomHost(ctx, name)
}

// LookupAddr calls DefaultResolver.LookupAddr.
func LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	return DefaultResolver.LookupAddr(ctx, addr)
}

func checkLookup(ctx context.Context, op, name string) error {
	switch {
	case ctx == nil:
		return &InputError{Op: op, Arg: "ctx", Value: "nil", Reason: "nil context"}
	case name == "":
		return &InputError{Op: op, Arg: "name", Value: name, Reason: "empty host name"}
	}
	return nil
}

// lookupError maps a resolver error so that it always matches
// ErrNameService.
func lookupError(err error) error {
	if k := classify(err); k != nil && errors.Is(k, ErrNameService) {
		return &Error{Kind: k, Err: err}
	}
	return &Error{Kind: ErrNameServiceUnknown, Err: err}
}

// notFound is the error for a name or address with no results.
func notFound(name string) error {
	return &Error{Kind: ErrHostNotFound, Err: &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}}
}
