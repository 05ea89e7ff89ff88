//go:build !usocket_netstd

package usocket

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
)

// The zero-copy benchmarks: each runs usocket and *net.TCPConn side by
// side, so ratios come from one run; cpu-ns/op is the whole process's CPU
// time (the load generator, the same for both, included).

// BenchmarkCopyFile is io.Copy from a 16 MiB file to a connection whose
// peer discards, over usocket (ReadFrom: sendfile) and over *net.TCPConn
// (its own sendfile path), so the ratio shows the zero-copy path's cost.
func BenchmarkCopyFile(b *testing.B) {
	const size = 16 << 20
	p := filepath.Join(b.TempDir(), "payload")
	if err := os.WriteFile(p, make([]byte, size), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, s := range []stack{usocketStack, netStack} {
		b.Run("16MiB/"+s.name, func(b *testing.B) {
			ctx := context.Background()
			ln, err := s.listen(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			sunk := make(chan error, 1)
			go func() { // the peer: accept one connection and discard
				c, err := ln.Accept()
				if err == nil {
					_, err = io.Copy(io.Discard, c)
					_ = c.Close()
				}
				sunk <- err
			}()
			c, err := s.dial(ctx, nil, ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			f, err := os.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := testkit.ReportCPU(b)
			for i := 0; i < b.N; i++ {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(c, f); err != nil || n != size {
					b.Fatalf("io.Copy = %d, %v", n, err)
				}
			}
			b.StopTimer()
			cpu()
			_ = c.(interface{ CloseWrite() error }).CloseWrite()
			if err := <-sunk; err != nil {
				b.Fatal(err)
			}
			_ = c.Close()
		})
	}
}

// BenchmarkProxy is a proxy's io.Copy from one accepted connection to
// another (usocket: WriteTo splicing Conn to Conn; net: *net.TCPConn's
// ReadFrom splicing), 1 MiB per op, between two standard-library peers
// that write and discard; usocket-buffered is io.Copy through a buffer
// over usocket, the path before splice.
func BenchmarkProxy(b *testing.B) {
	const chunk = 1 << 20
	type variant struct {
		name string
		s    stack
		copy func(dst, src net.Conn) (int64, error)
	}
	variants := []variant{
		{"usocket", usocketStack, func(d, s net.Conn) (int64, error) { return io.Copy(d, s) }},
		{"net", netStack, func(d, s net.Conn) (int64, error) { return io.Copy(d, s) }},
		{"usocket-buffered", usocketStack, func(d, s net.Conn) (int64, error) {
			return io.Copy(writerOnly{d}, readerOnly{s})
		}},
	}
	for _, v := range variants {
		b.Run("1MiB/"+v.name, func(b *testing.B) {
			ln, err := v.s.listen(context.Background(), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			in, inSide := benchPeer(b, ln)
			out, outSide := benchPeer(b, ln)
			total := int64(b.N) * chunk
			go func() { // the client: sends total bytes, then EOF
				buf := make([]byte, chunk)
				for i := 0; i < b.N; i++ {
					if _, err := in.Write(buf); err != nil {
						break
					}
				}
				_ = in.(*net.TCPConn).CloseWrite()
			}()
			sunk := make(chan int64, 1)
			go func() { // the server behind the proxy: discards
				n, _ := io.Copy(io.Discard, out)
				sunk <- n
			}()
			b.SetBytes(chunk)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := testkit.ReportCPU(b)
			n, err := v.copy(outSide, inSide)
			if err != nil || n != total {
				b.Fatalf("proxy copied %d of %d: %v", n, total, err)
			}
			_ = outSide.(interface{ CloseWrite() error }).CloseWrite()
			if got := <-sunk; got != total {
				b.Fatalf("server got %d of %d", got, total)
			}
			b.StopTimer()
			cpu()
			_ = in.Close()
			_ = out.Close()
			_ = inSide.Close()
			_ = outSide.Close()
		})
	}
}

// benchPeer connects a standard-library client to ln and returns it with
// the accepted side.
func benchPeer(b *testing.B, ln net.Listener) (client, accepted net.Conn) {
	b.Helper()
	client, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	accepted, err = ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	return client, accepted
}
