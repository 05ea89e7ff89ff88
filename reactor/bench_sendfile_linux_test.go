//go:build !usocket_netstd

package reactor

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
)

// BenchmarkSendFile answers each 1-byte request with 1 MiB: a queued file
// region (SendFile) beside a Write of the same bytes from memory, in one
// run; cpu-ns/op is the whole process's CPU time, client included.
func BenchmarkSendFile(b *testing.B) {
	const size = 1 << 20
	data := make([]byte, size)
	p := filepath.Join(b.TempDir(), "payload")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	answers := map[string]func(c *Conn){
		"sendfile": func(c *Conn) { _ = c.SendFile(f, 0, size) },
		"write":    func(c *Conn) { _, _ = c.Write(data) },
	}
	for _, name := range []string{"sendfile", "write"} {
		answer := answers[name]
		b.Run("1MiB/"+name, func(b *testing.B) {
			r, err := New(WithLoops(1), WithErrorHook(func(err error) { b.Error(err) }))
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			h := &funcs{data: func(c *Conn, req []byte) {
				for range req {
					answer(c)
				}
			}}
			ln, err := r.Listen(testContext(b), "tcp4", "127.0.0.1:0", h)
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			c, err := net.Dial("tcp4", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			buf := make([]byte, 256<<10)
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := testkit.ReportCPU(b)
			for i := 0; i < b.N; i++ {
				if _, err := c.Write([]byte{1}); err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(io.Discard, io.LimitReader(c, size), buf); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			cpu()
		})
	}
}
