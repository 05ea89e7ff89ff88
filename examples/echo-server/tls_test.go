package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/internal/selfsigned"
)

// startTLS runs echo-server -tls with a self-signed certificate and
// returns it with the fingerprint it printed.
func startTLS(t *testing.T) (*exampletest.Program, string) {
	t.Helper()
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-tls", "-loops", "2")
	out := p.Stdout()
	if !strings.Contains(out, "echo-server (reactor, tcp+tls) listening on 127.0.0.1:") {
		t.Fatalf("listening line: %q", out)
	}
	_, fp, ok := strings.Cut(out, "SHA-256 fingerprint ")
	if !ok {
		t.Fatalf("no fingerprint in %q", out)
	}
	fp, _, _ = strings.Cut(fp, "\n")
	return p, fp
}

// A crypto/tls client that pins the printed fingerprint gets its echo.
func TestTLSEcho(t *testing.T) {
	p, fp := startTLS(t)
	cfg := &tls.Config{
		InsecureSkipVerify: true, // self-signed: checked by fingerprint below
		NextProtos:         []string{"echo"},
		VerifyConnection: func(cs tls.ConnectionState) error {
			if got := selfsigned.Fingerprint(cs.PeerCertificates[0].Raw); got != fp {
				return fmt.Errorf("fingerprint %s, printed %s", got, fp)
			}
			return nil
		},
	}
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: exampletest.Wait}, "tcp", p.Addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	want := bytes.Repeat([]byte("over tls "), 10000)
	go func() {
		_, _ = c.Write(want)
		_ = c.CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("echo: %d bytes, %v; want %d", len(got), err, len(want))
	}
	_ = c.Close()
	if code := p.Stop(t); code != exitOK {
		t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
	}
}

// openssl s_client, TLS 1.2 and 1.3, gets its line back; the certificate
// it saw has the fingerprint the server printed.
func TestOpenSSLClient(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("openssl is needed (the CI script installs it): %v", err)
	}
	p, fp := startTLS(t)
	for _, vers := range []string{"-tls1_2", "-tls1_3"} {
		s := openSSLEcho(t, openssl, p.Addr, vers, "hello from openssl")
		if !strings.Contains(s, "ALPN protocol: echo") {
			t.Fatalf("openssl %s: no echo or no ALPN in:\n%s", vers, s)
		}
		der := firstCertificate(t, s)
		if got := fmt.Sprintf("%X", sha256.Sum256(der)); got != strings.ReplaceAll(fp, ":", "") {
			t.Fatalf("openssl saw certificate %s, server printed %s", got, fp)
		}
	}
	if code := p.Stop(t); code != exitOK {
		t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
	}
}

// firstCertificate decodes the first PEM certificate in openssl's output.
func firstCertificate(t *testing.T, out string) []byte {
	t.Helper()
	block, _ := pem.Decode([]byte(out[strings.Index(out, "-----BEGIN CERTIFICATE-----"):]))
	if block == nil {
		t.Fatalf("no certificate in openssl's output:\n%s", out)
	}
	return block.Bytes
}

func TestTLSFlagChecks(t *testing.T) {
	for _, args := range [][]string{
		{"-tls", "-mode", "multi"},
		{"-tls", "-proto", "udp"},
		{"-cert", "c.pem", "-key", "k.pem"},
		{"-tls", "-cert", "c.pem"},
	} {
		if code, _, stderr := exampletest.Run(t, run, args...); code != exitUsage {
			t.Errorf("%v: exit status %d, want %d; stderr: %s", args, code, exitUsage, stderr)
		}
	}
}

// openSSLEcho runs openssl s_client against addr, sends line, waits for
// it to come back, then ends stdin (s_client sends close_notify) and
// returns everything s_client printed.
func openSSLEcho(t *testing.T, openssl, addr, vers, line string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), exampletest.Wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, openssl, "s_client", "-connect", addr, vers, "-alpn", "echo", "-showcerts")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(stdin, line+"\n"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for !bytes.Contains(out.Bytes(), []byte("\n"+line+"\n")) {
		n, err := stdout.Read(buf) // ends when ctx kills s_client
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("openssl %s: no echo of %q (%v) in:\n%s", vers, line, err, out.String())
		}
	}
	_ = stdin.Close()
	rest, _ := io.ReadAll(stdout)
	out.Write(rest)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", vers, err, out.String())
	}
	return out.String()
}
