package faults

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/udp"
)

// Fuzz targets for the inbound paths: datagrams into a DatagramServer and
// byte streams, in arbitrary chunks, into a reactor echo connection. (The
// address utilities are fuzzed in package usocket, addr_fuzz_test.go.) Only
// the seed corpora run in a normal go test.

// fuzzReactor starts a private reactor for a fuzz target.
func fuzzReactor(f *testing.F) *reactor.Reactor {
	r, err := reactor.New(reactor.WithLoops(2))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = r.Close() })
	return r
}

// errFuzzRefused is what the fuzz datagram handler returns for requests
// whose payload starts with 0xFF.
var errFuzzRefused = errors.New("refused by the fuzz handler")

// fuzzDatagramHandler answers a request (4-byte tag, payload) with the tag
// and the payload reversed; it refuses payloads starting with 0xFF.
func fuzzDatagramHandler(_ context.Context, req []byte, _ netip.AddrPort) ([]byte, error) {
	if len(req) < 4 {
		return nil, errors.New("short request")
	}
	if len(req) > 4 && req[4] == 0xFF {
		return nil, errFuzzRefused
	}
	reply := slices.Clone(req)
	slices.Reverse(reply[4:])
	return reply, nil
}

// FuzzDatagramServer sends each input through a real UDP socket to a
// DatagramServer: the reply must be exactly the handler's answer, and a
// failing handler must be reported, not crash the server or answer.
func FuzzDatagramServer(f *testing.F) {
	for _, s := range [][]byte{
		nil, []byte("ping"), {0}, {0xFF, 1, 2}, bytes.Repeat([]byte{0xAB}, 1472),
		bytes.Repeat([]byte("x"), udp.MaxDatagramSize-4), // the largest that fits
		bytes.Repeat([]byte("y"), 9000),
	} {
		f.Add(s)
	}
	r := fuzzReactor(f)
	hookc := make(chan error, 16)
	srv := handler.DatagramServer{
		Host: "127.0.0.1", Handler: fuzzDatagramHandler, Reactor: r,
		ErrorHook: func(err error) {
			select {
			case hookc <- err:
			default:
			}
		},
	}
	svc, err := srv.Start(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = svc.Close() })
	cl, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(svc.AddrPort()))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = cl.Close() })
	var tag uint32
	buf := make([]byte, 1<<16)
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) > udp.MaxDatagramSize-4 {
			return // cannot be one UDP datagram
		}
		tag++
		req := binary.BigEndian.AppendUint32(nil, tag)
		req = append(req, payload...)
		if err := cl.SetDeadline(time.Now().Add(testTimeout)); err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Write(req); err != nil {
			t.Fatalf("send %d bytes: %v", len(req), err)
		}
		if len(payload) > 0 && payload[0] == 0xFF {
			err := recv(t, hookc, "the handler's error report")
			var he *handler.HandlerError
			if !errors.As(err, &he) || !errors.Is(err, errFuzzRefused) {
				t.Fatalf("hook got %v, want a *HandlerError wrapping the handler's error", err)
			}
			return
		}
		want, _ := fuzzDatagramHandler(context.Background(), req, netip.AddrPort{})
		for {
			n, err := cl.Read(buf)
			if err != nil {
				t.Fatalf("no reply to %d bytes: %v", len(req), err)
			}
			if n >= 4 && binary.BigEndian.Uint32(buf) != tag {
				continue // a late reply to an earlier request
			}
			if !bytes.Equal(buf[:n], want) {
				t.Fatalf("reply of %d bytes differs from the handler's %d", n, len(want))
			}
			return
		}
	})
}

// FuzzReactorEcho writes data to a reactor Echo connection in chunks whose
// sizes come from sizes (cycled), half-closes, and checks that the echo is
// exactly data.
func FuzzReactorEcho(f *testing.F) {
	f.Add([]byte("hello, reactor"), []byte{0})
	f.Add([]byte{}, []byte{})
	f.Add(bytes.Repeat([]byte{0, 1, 2, 255}, 5_000), []byte{255, 0, 17, 3})
	f.Add(newStream(30).bytes(0, 300_000), []byte{255}) // more than a read buffer
	r := fuzzReactor(f)
	ln, err := r.Listen(context.Background(), "tcp4", "127.0.0.1:0", handler.Echo{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ln.Close() })
	f.Fuzz(func(t *testing.T, data, sizes []byte) {
		chunks := chunkSizes(len(data), sizes)
		if len(data) > 1<<20 || len(chunks) > 4096 {
			return // keep each run short: no megabytes in tiny chunks
		}
		c, err := net.DialTimeout("tcp", ln.Addr().String(), testTimeout)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(testTimeout))
		werr := make(chan error, 1)
		go func() {
			rest := data
			for _, n := range chunks {
				if _, err := c.Write(rest[:n]); err != nil {
					werr <- err
					return
				}
				rest = rest[n:]
			}
			werr <- c.(*net.TCPConn).CloseWrite()
		}()
		got, err := io.ReadAll(c)
		if werr := <-werr; werr != nil {
			t.Fatalf("write: %v", werr)
		}
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("echo of %d bytes: got %d, %v", len(data), len(got), err)
		}
	})
}

// chunkSizes splits n bytes into chunks whose sizes come from sizes,
// cycled: a size byte s means s*s+1 bytes (1 byte to 64 KiB); no sizes
// means one chunk.
func chunkSizes(n int, sizes []byte) []int {
	var out []int
	for i := 0; n > 0; i++ {
		k := n
		if len(sizes) > 0 {
			s := int(sizes[i%len(sizes)])
			k = min(k, s*s+1)
		}
		out = append(out, k)
		n -= k
		if len(out) > 4096 {
			break
		}
	}
	return out
}
