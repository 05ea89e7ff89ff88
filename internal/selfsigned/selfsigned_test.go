package selfsigned

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

func TestNewVerifies(t *testing.T) {
	cert, pool, err := New(time.Hour, "localhost", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "example.com"}); err == nil {
		t.Fatal("verified for a host it does not name")
	}
	fp := Fingerprint(cert.Certificate[0])
	if len(fp) != 32*3-1 || strings.Count(fp, ":") != 31 || strings.ToUpper(fp) != fp {
		t.Fatalf("fingerprint %q", fp)
	}
}
