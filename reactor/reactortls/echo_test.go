package reactortls

import (
	"bytes"
	"crypto/tls"
	"io"
	"testing"
)

func TestEchoStdClient(t *testing.T) {
	for _, v := range []struct {
		name string
		vers uint16
	}{{"TLS1.2", tls.VersionTLS12}, {"TLS1.3", tls.VersionTLS13}} {
		t.Run(v.name, func(t *testing.T) {
			addr, _, _ := startServer(t, echo{}, &Config{TLS: serverTLS()})
			cfg := clientTLS()
			cfg.MinVersion, cfg.MaxVersion = v.vers, v.vers
			c := dialTLS(t, addr, cfg)
			if got := c.ConnectionState().Version; got != v.vers {
				t.Fatalf("version %x, want %x", got, v.vers)
			}
			msg := bytes.Repeat([]byte("0123456789abcdef"), 5000) // several records
			go func() { _, _ = c.Write(msg) }()
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, msg) {
				t.Fatal("echo differs")
			}
			if err := c.CloseWrite(); err != nil {
				t.Fatal(err)
			}
			// BaseHandler closes on OnEOF (our close_notify): its Close
			// sends close_notify, which reads as a clean io.EOF.
			if n, err := c.Read(got); n != 0 || err != io.EOF {
				t.Fatalf("read after close: %d, %v; want 0, io.EOF", n, err)
			}
		})
	}
}
