package usocket_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/usocket"
)

// DNS numbers used by fakeDNS (RFC 1035, RFC 3596).
const (
	dnsTypeA    = 1
	dnsTypeAAAA = 28
	rcodeOK     = 0
	rcodeFail   = 2 // SERVFAIL
	rcodeNX     = 3 // NXDOMAIN
	rcodeRefuse = 5 // REFUSED
)

// fakeDNS answers the Go resolver over in-memory pipes: names in records
// get their A and AAAA records, every other name gets rcode.
type fakeDNS struct {
	records map[string][]netip.Addr
	rcode   int

	mu      sync.Mutex
	conns   []net.Conn
	stopped bool // the test ended: dial refuses (a lookup may outlive its call)
	wg      sync.WaitGroup
}

// resolver returns a usocket.Resolver that only ever talks to f. It stops
// f's goroutines when the test ends.
func (f *fakeDNS) resolver(t *testing.T) *usocket.Resolver {
	t.Cleanup(func() {
		f.mu.Lock()
		f.stopped = true
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
		f.wg.Wait()
	})
	return &usocket.Resolver{Net: &net.Resolver{PreferGo: true, Dial: f.dial}}
}

// dial connects the resolver to a new server goroutine. A lookup whose
// call was canceled may still dial after the test ended; everything it
// touches is guarded by mu, and once stopped it is refused, so nothing
// races the test's cleanup and no server outlives it.
func (f *fakeDNS) dial(ctx context.Context, network, address string) (net.Conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return nil, &net.OpError{Op: "dial", Net: network, Err: net.ErrClosed}
	}
	client, server := net.Pipe()
	f.conns = append(f.conns, server)
	f.wg.Add(1)
	go f.serve(server)
	return client, nil
}

// serve answers length-prefixed (TCP-style) queries until the pipe closes;
// net.Pipe is not a PacketConn, so the resolver uses that framing.
func (f *fakeDNS) serve(c net.Conn) {
	defer f.wg.Done()
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		var n uint16
		if binary.Read(r, binary.BigEndian, &n) != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(r, q); err != nil {
			return
		}
		resp := f.answer(q)
		if resp == nil {
			return
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// answer builds the response to query q, or nil if q is malformed.
func (f *fakeDNS) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	var labels []string
	i := 12
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	if i+5 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i+1:])
	end := i + 5 // root label, type, class
	name := strings.ToLower(strings.Join(labels, "."))

	resp := append([]byte(nil), q[:end]...)
	resp[2] = 0x80 | q[2]&0x79 // QR, opcode and RD from the query
	resp[3] = 0x80             // RA, Z = 0, rcode below
	binary.BigEndian.PutUint16(resp[10:], 0)
	addrs, known := f.records[name]
	if !known {
		resp[3] |= byte(f.rcode)
		binary.BigEndian.PutUint16(resp[6:], 0)
		return resp
	}
	var count uint16
	for _, a := range addrs {
		var rdata []byte
		switch {
		case qtype == dnsTypeA && a.Is4():
			b := a.As4()
			rdata = b[:]
		case qtype == dnsTypeAAAA && a.Is6():
			b := a.As16()
			rdata = b[:]
		default:
			continue
		}
		resp = append(resp, 0xc0, 12) // pointer to the question's name
		resp = binary.BigEndian.AppendUint16(resp, qtype)
		resp = binary.BigEndian.AppendUint16(resp, 1) // class IN
		resp = binary.BigEndian.AppendUint32(resp, 60)
		resp = binary.BigEndian.AppendUint16(resp, uint16(len(rdata)))
		resp = append(resp, rdata...)
		count++
	}
	binary.BigEndian.PutUint16(resp[6:], count)
	return resp
}

func TestLookupLiteralsWithoutDNS(t *testing.T) {
	// Every DNS query fails, so only literal handling can succeed.
	r := (&fakeDNS{rcode: rcodeFail}).resolver(t)
	ctx := testCtx(t)
	tests := []struct{ in, want string }{
		{"127.0.0.1", "127.0.0.1"},
		{"::1", "::1"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
		{"fe80::1%lo", "fe80::1%lo"},
	}
	for _, tt := range tests {
		addrs, err := r.LookupHosts(ctx, tt.in)
		if err != nil || len(addrs) != 1 || addrs[0].String() != tt.want {
			t.Errorf("LookupHosts(%q) = %v, %v; want [%s]", tt.in, addrs, err, tt.want)
		}
		a, err := r.LookupHost(ctx, tt.in)
		if err != nil || a.String() != tt.want {
			t.Errorf("LookupHost(%q) = %v, %v", tt.in, a, err)
		}
		a, err = r.LookupRandomHost(ctx, tt.in)
		if err != nil || a.String() != tt.want {
			t.Errorf("LookupRandomHost(%q) = %v, %v", tt.in, a, err)
		}
	}
}

func TestLookupOrderAndPreference(t *testing.T) {
	v4a, v4b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	// A global IPv6 address outranks IPv4 in RFC 6724's precedence table,
	// so the resolver's own sort may put it first; LookupHosts must not.
	v6 := netip.MustParseAddr("2001:db8::1")
	f := &fakeDNS{rcode: rcodeNX, records: map[string][]netip.Addr{
		"dual.test":   {v6, v4a, v4b},
		"v6only.test": {v6},
	}}
	r := f.resolver(t)
	ctx := testCtx(t)

	addrs, err := r.LookupHosts(ctx, "dual.test")
	if err != nil || len(addrs) != 3 {
		t.Fatalf("LookupHosts(dual.test) = %v, %v", addrs, err)
	}
	if !addrs[0].Is4() || !addrs[1].Is4() || addrs[2] != v6 {
		t.Errorf("LookupHosts(dual.test) = %v; want both IPv4 addresses, then %v", addrs, v6)
	}
	if !slices.Contains(addrs, v4a) || !slices.Contains(addrs, v4b) {
		t.Errorf("LookupHosts(dual.test) = %v; missing an IPv4 address", addrs)
	}
	if a, err := r.LookupHost(ctx, "dual.test"); err != nil || !a.Is4() {
		t.Errorf("LookupHost(dual.test) = %v, %v; want an IPv4 address", a, err)
	}
	if a, err := r.LookupHost(ctx, "v6only.test"); err != nil || a != v6 {
		t.Errorf("LookupHost(v6only.test) = %v, %v; want %v", a, err, v6)
	}
	if a, err := r.LookupRandomHost(ctx, "v6only.test"); err != nil || a != v6 {
		t.Errorf("LookupRandomHost(v6only.test) = %v, %v; want %v", a, err, v6)
	}
	seen := map[netip.Addr]bool{}
	for i := 0; i < 200 && len(seen) < 2; i++ {
		a, err := r.LookupRandomHost(ctx, "dual.test")
		if err != nil || !a.Is4() {
			t.Fatalf("LookupRandomHost(dual.test) = %v, %v; want an IPv4 address", a, err)
		}
		seen[a] = true
	}
	if len(seen) != 2 {
		t.Errorf("LookupRandomHost never varied in 200 calls: %v", seen)
	}
}

func TestLookupErrorsFromServer(t *testing.T) {
	tests := []struct {
		name  string
		rcode int
		host  string
		want  error
	}{
		{"NXDOMAIN", rcodeNX, "no-such-host.invalid", usocket.ErrHostNotFound},
		{"SERVFAIL", rcodeFail, "broken.test", usocket.ErrTryAgain},
		{"REFUSED", rcodeRefuse, "refused.test", usocket.ErrNoRecovery},
		{"no records", rcodeOK, "empty.test", usocket.ErrHostNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeDNS{rcode: tt.rcode}
			if tt.rcode == rcodeOK {
				f.records = map[string][]netip.Addr{tt.host: nil}
			}
			r := f.resolver(t)
			_, err := r.LookupHost(testCtx(t), tt.host)
			checkNameServiceError(t, err, tt.want)
			if tt.rcode == rcodeNX {
				_, err := r.LookupAddr(testCtx(t), netip.MustParseAddr("192.0.2.7"))
				checkNameServiceError(t, err, usocket.ErrHostNotFound)
			}
		})
	}
}

func checkNameServiceError(t *testing.T, err error, want error) {
	t.Helper()
	if !errors.Is(err, want) || !errors.Is(err, usocket.ErrNameService) {
		t.Fatalf("err = %v (%s); want %v under ErrNameService", err, usocket.ConditionName(err), want)
	}
	if errors.Is(err, usocket.ErrSocket) {
		t.Errorf("%v matches ErrSocket", err)
	}
	var d *net.DNSError
	if !errors.As(err, &d) {
		t.Errorf("%v: no *net.DNSError inside", err)
	}
}

func TestLookupCanceled(t *testing.T) {
	r := (&fakeDNS{rcode: rcodeNX}).resolver(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.LookupHost(ctx, "canceled.test")
	if !errors.Is(err, usocket.ErrNameService) {
		t.Fatalf("err = %v; want ErrNameService", err)
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, usocket.ErrHostNotFound) {
		t.Errorf("err = %v; want context.Canceled (or a not-found answer that raced it)", err)
	}
}

func TestLookupBadInput(t *testing.T) {
	ctx := testCtx(t)
	_, err := usocket.LookupHost(ctx, "")
	wantInputError(t, "LookupHost(\"\")", err)
	_, err = usocket.LookupHosts(ctx, "")
	wantInputError(t, "LookupHosts(\"\")", err)
	_, err = usocket.LookupRandomHost(ctx, "")
	wantInputError(t, "LookupRandomHost(\"\")", err)
	_, err = usocket.LookupAddr(ctx, netip.Addr{})
	wantInputError(t, "LookupAddr(zero)", err)
	var nilCtx context.Context
	_, err = usocket.LookupHosts(nilCtx, "localhost")
	wantInputError(t, "LookupHosts(nil ctx)", err)
	_, err = usocket.LookupAddr(nilCtx, netip.IPv6Loopback())
	wantInputError(t, "LookupAddr(nil ctx)", err)
}

// The tests below use the system resolver; the machine may have no DNS
// beyond /etc/hosts, so they only assert what holds either way.

func TestLookupLocalhost(t *testing.T) {
	a, err := usocket.LookupHost(testCtx(t), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Is4() || !a.IsLoopback() {
		t.Errorf("LookupHost(localhost) = %v; want an IPv4 loopback address", a)
	}
	addrs, err := usocket.LookupHosts(testCtx(t), "localhost")
	if err != nil || addrs[0] != a {
		t.Errorf("LookupHosts(localhost) = %v, %v; want %v first", addrs, err, a)
	}
	for _, x := range addrs {
		if x.Is4In6() || !x.IsLoopback() {
			t.Errorf("LookupHosts(localhost) has %v", x)
		}
	}
}

func TestLookupInvalidTLD(t *testing.T) {
	_, err := usocket.LookupHost(testCtx(t), "no-such-host.invalid")
	if !errors.Is(err, usocket.ErrNameService) {
		t.Fatalf("err = %v; want an error under ErrNameService", err)
	}
	var d *net.DNSError
	if errors.As(err, &d) && d.IsNotFound && !errors.Is(err, usocket.ErrHostNotFound) {
		t.Errorf("resolver says not found but %v does not match ErrHostNotFound", err)
	}
	if !strings.HasPrefix(usocket.ConditionName(err), "ns-") {
		t.Errorf("ConditionName = %q", usocket.ConditionName(err))
	}
}

func TestLookupAddrLoopback(t *testing.T) {
	hosts, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Skipf("no /etc/hosts: %v", err)
	}
	var want []string
	for _, line := range strings.Split(string(hosts), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "127.0.0.1" {
			want = append(want, f[1:]...)
		}
	}
	// With /etc/hosts consulted first, a fake DNS that knows nothing is enough.
	r := (&fakeDNS{rcode: rcodeNX}).resolver(t)
	names, err := r.LookupAddr(testCtx(t), netip.MustParseAddr("127.0.0.1"))
	if len(want) == 0 {
		checkNameServiceError(t, err, usocket.ErrHostNotFound)
		return
	}
	if err != nil {
		t.Fatalf("LookupAddr(127.0.0.1) = %v; /etc/hosts names %v", err, want)
	}
	for _, n := range names {
		if !slices.Contains(want, strings.TrimSuffix(n, ".")) {
			t.Errorf("LookupAddr(127.0.0.1) gave %q, not in /etc/hosts %v", n, want)
		}
	}
}

// testCtx bounds a lookup test's blocking steps.
func testCtx(t *testing.T) context.Context { return testkit.Context(t, 10*time.Second) }

// TestFakeDNSRefusesAfterCleanup: a canceled lookup's goroutine can dial
// the fake server after its test ended (the cause of a data race seen
// under -race -shuffle=on, issue 12); such a dial must be refused, not
// start a server that races the cleanup and outlives the test.
func TestFakeDNSRefusesAfterCleanup(t *testing.T) {
	f := &fakeDNS{rcode: rcodeNX}
	t.Run("lookup", func(t *testing.T) {
		r := f.resolver(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _ = r.LookupHost(ctx, "canceled.test")
	})
	c, err := f.dial(context.Background(), "tcp", "fake:53")
	if err == nil {
		c.Close()
		t.Fatal("fake DNS server accepted a dial after its test's cleanup")
	}
}
