package reactortls

import (
	"bytes"
	"crypto/tls"
	"io"
	"testing"
)

// A crypto/tls client against the reactor's TLS server, TLS 1.2 and 1.3,
// with ALPN: echo across several records, then close_notify both ways.
func TestEchoStdClient(t *testing.T) {
	for _, v := range []struct {
		name string
		vers uint16
	}{{"TLS1.2", tls.VersionTLS12}, {"TLS1.3", tls.VersionTLS13}} {
		t.Run(v.name, func(t *testing.T) {
			scfg := serverTLS()
			scfg.NextProtos = []string{"echo/1", "h2"}
			addr, _, _ := startServer(t, echo{}, &Config{TLS: scfg})
			cfg := clientTLS()
			cfg.MinVersion, cfg.MaxVersion = v.vers, v.vers
			cfg.NextProtos = []string{"h2"}
			c := dialTLS(t, addr, cfg)
			if st := c.ConnectionState(); st.Version != v.vers || st.NegotiatedProtocol != "h2" {
				t.Fatalf("version %x ALPN %q, want %x h2", st.Version, st.NegotiatedProtocol, v.vers)
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
