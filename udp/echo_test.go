package udp

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"
)

var echoSizes = []int{0, 1, 1400, MaxDatagramSize}

func TestEcho(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		for _, connected := range []bool{true, false} {
			name := fmt.Sprintf("v6=%v/connected=%v", v6, connected)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := listen(t, loopback(v6))
				serveEcho(t, srv)
				var cl *Conn
				var to netip.AddrPort
				if connected {
					cl = dial(t, srv.LocalAddrPort())
					if got := cl.RemoteAddrPort(); got != srv.LocalAddrPort() {
						t.Fatalf("RemoteAddrPort = %v, want %v", got, srv.LocalAddrPort())
					}
				} else {
					cl = listen(t, loopback(v6))
					to = srv.LocalAddrPort()
				}
				deadlineIn(t, cl, 10*time.Second)
				buf := make([]byte, MaxDatagramSize+1)
				for i, size := range echoSizes {
					out := pattern(size, byte(i))
					if n, err := cl.Send(out, to); err != nil || n != size {
						t.Fatalf("Send(%d bytes) = %d, %v", size, n, err)
					}
					n, size2, from, err := cl.Receive(buf)
					if err != nil {
						t.Fatalf("Receive after %d-byte send: %v", size, err)
					}
					if n != size || size2 != size || !bytes.Equal(buf[:n], out) {
						t.Fatalf("echo of %d bytes: n=%d size=%d, equal=%v", size, n, size2, bytes.Equal(buf[:n], out))
					}
					if from != srv.LocalAddrPort() {
						t.Fatalf("from = %v, want %v", from, srv.LocalAddrPort())
					}
				}
			})
		}
	}
}

// TestNetInterfaces drives the sockets only through net.PacketConn and
// net.Conn.
func TestNetInterfaces(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	var pc net.PacketConn = srv
	cl := dial(t, srv.LocalAddrPort())
	var nc net.Conn = cl
	deadlineIn(t, srv, 10*time.Second)
	deadlineIn(t, cl, 10*time.Second)

	if _, err := nc.Write([]byte("hello")); err != nil {
		t.Fatalf("Write: %v", err)
	}
	buf := make([]byte, 64)
	n, addr, err := pc.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("ReadFrom = %q, %v", buf[:n], err)
	}
	if addr.String() != nc.LocalAddr().String() {
		t.Fatalf("ReadFrom addr = %v, want %v", addr, nc.LocalAddr())
	}
	if _, err := pc.WriteTo([]byte("world"), addr); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	n, err = nc.Read(buf)
	if err != nil || string(buf[:n]) != "world" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if nc.RemoteAddr().String() != pc.LocalAddr().String() {
		t.Fatalf("RemoteAddr = %v, want %v", nc.RemoteAddr(), pc.LocalAddr())
	}
	if srv.RemoteAddr() != nil || srv.Connected() || !cl.Connected() {
		t.Fatalf("RemoteAddr/Connected wrong: %v %v %v", srv.RemoteAddr(), srv.Connected(), cl.Connected())
	}
}

func TestTruncation(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	cl := dial(t, srv.LocalAddrPort())
	deadlineIn(t, srv, 10*time.Second)
	big, small := pattern(1000, 1), pattern(10, 2)
	for _, b := range [][]byte{big, small} {
		if _, err := cl.Send(b, netip.AddrPort{}); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	buf := make([]byte, 100)
	n, size, from, err := srv.Receive(buf)
	if err != nil || n != 100 || size != 1000 || !bytes.Equal(buf, big[:100]) {
		t.Fatalf("Receive = n %d size %d err %v (prefix equal %v), want 100, 1000", n, size, err, bytes.Equal(buf, big[:100]))
	}
	if from != cl.LocalAddrPort() {
		t.Fatalf("from = %v, want %v", from, cl.LocalAddrPort())
	}
	// The rest of the big datagram is gone; the next one is whole.
	n, size, _, err = srv.Receive(buf)
	if err != nil || n != 10 || size != 10 || !bytes.Equal(buf[:n], small) {
		t.Fatalf("next Receive = %d, %d, %v; want the 10-byte datagram", n, size, err)
	}
}

func TestDialLocalBind(t *testing.T) {
	srv := listen(t, "127.0.0.1")
	tmp := listen(t, "127.0.0.1")
	port := tmp.LocalAddrPort().Port() // a free port, once tmp is closed
	if err := tmp.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := testCtx(t)
	cfg := Config{LocalHost: "127.0.0.1", LocalPort: int(port)}
	cl, err := cfg.Dial(ctx, "127.0.0.1", int(srv.LocalAddrPort().Port()))
	if err != nil {
		t.Fatalf("Dial with local bind: %v", err)
	}
	defer cl.Close()
	want := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
	if cl.LocalAddrPort() != want {
		t.Fatalf("LocalAddrPort = %v, want %v", cl.LocalAddrPort(), want)
	}
}

func TestWildcardListen(t *testing.T) {
	srv := listen(t, "")
	if !srv.LocalAddrPort().Addr().IsUnspecified() || srv.LocalAddrPort().Port() == 0 {
		t.Fatalf("LocalAddrPort = %v, want the wildcard and a port", srv.LocalAddrPort())
	}
	port := srv.LocalAddrPort().Port()
	deadlineIn(t, srv, 10*time.Second)
	for _, v6 := range []bool{false, true} {
		cl := dial(t, netip.AddrPortFrom(netip.MustParseAddr(loopback(v6)), port))
		if _, err := cl.Write([]byte("x")); err != nil {
			t.Fatalf("Write: %v", err)
		}
		_, _, from, err := srv.Receive(make([]byte, 8))
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		// IPv4 senders are reported as IPv4, not IPv4-mapped IPv6.
		if from != cl.LocalAddrPort() {
			t.Fatalf("from = %v, want %v", from, cl.LocalAddrPort())
		}
	}
}
