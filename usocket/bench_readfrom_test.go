package usocket

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCopyFile is io.Copy from a 16 MiB file to a connection whose
// peer discards, over usocket (ReadFrom: sendfile) and over *net.TCPConn
// (its own sendfile path), so the ratio shows the zero-copy path's cost.
func BenchmarkCopyFile(b *testing.B) {
	const size = 16 << 20
	p := filepath.Join(b.TempDir(), "payload")
	if err := os.WriteFile(p, make([]byte, size), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, s := range stacks {
		b.Run("16MiB/"+s.name, func(b *testing.B) {
			ctx := context.Background()
			ln, err := s.listen(ctx)
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
			c, err := s.dial(ctx, ln.Addr().String())
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
			for i := 0; i < b.N; i++ {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(c, f); err != nil || n != size {
					b.Fatalf("io.Copy = %d, %v", n, err)
				}
			}
			b.StopTimer()
			_ = c.(interface{ CloseWrite() error }).CloseWrite()
			if err := <-sunk; err != nil {
				b.Fatal(err)
			}
			_ = c.Close()
		})
	}
}

var _ net.Conn = (*Conn)(nil)
