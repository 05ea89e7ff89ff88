package usocket

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHTTPServeAndDial serves net/http over a Listener and fetches through
// a Dialer used as http.Transport.DialContext; closing the listener makes
// Serve return.
func TestHTTPServeAndDial(t *testing.T) {
	ln := newLocalListener(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+r.RemoteAddr)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, r.Body)
	})
	var conns sync.WaitGroup // server-side connections not yet closed
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: testTimeout, ConnState: func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			conns.Done()
		}
	}}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var d Dialer
	tr := &http.Transport{DialContext: d.DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: testTimeout}
	base := "http://" + ln.Addr().String()

	for i := 0; i < 3; i++ { // keep-alive reuses the connection
		resp, err := client.Get(base + "/hello")
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || !strings.HasPrefix(string(body), "hello 127.0.0.1:") {
			t.Fatalf("GET body %q, err %v", body, err)
		}
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	resp, err := client.Post(base+"/echo", "application/octet-stream", bytes.NewReader(big))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	got, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("POST echo: %d bytes, err %v", len(got), err)
	}

	if err := ln.Close(); err != nil {
		t.Fatalf("Listener.Close: %v", err)
	}
	select {
	case err := <-served:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve returned %v, want an error wrapping net.ErrClosed", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("http.Server.Serve did not return after Listener.Close")
	}
	_ = srv.Close()
	// Server connections may linger in net/http's close-write-and-wait
	// (half a second after CloseWrite, to avoid an RST); wait them out.
	tr.CloseIdleConnections()
	allClosed := make(chan struct{})
	go func() { conns.Wait(); close(allClosed) }()
	select {
	case <-allClosed:
	case <-time.After(testTimeout):
		t.Fatal("server connections still open after Server.Close")
	}
}

// TestTLS runs crypto/tls over a pair of our connections, with a read
// deadline passing in the middle of the stream.
func TestTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	d, a := connPair(t)
	srv := tls.Server(a, &tls.Config{Certificates: []tls.Certificate{cert}})
	cli := tls.Client(d, &tls.Config{RootCAs: pool, ServerName: "localhost"})
	deadline := time.Now().Add(testTimeout)
	_ = srv.SetDeadline(deadline)
	_ = cli.SetDeadline(deadline)

	errc := make(chan error, 1)
	go func() { // server: echo one message, then send one more after a signal
		buf := make([]byte, 64<<10)
		n, err := io.ReadFull(srv, buf)
		if err == nil {
			_, err = srv.Write(buf[:n])
		}
		if err == nil {
			_, err = srv.Read(buf[:1]) // the client's go-ahead
		}
		if err == nil {
			_, err = srv.Write([]byte("late"))
		}
		errc <- err
	}()

	msg := bytes.Repeat([]byte{0xA5}, 64<<10)
	if _, err := cli.Write(msg); err != nil {
		t.Fatalf("tls Write: %v", err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(cli, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("tls echo: err %v", err)
	}

	// Nothing is coming: a read deadline passes, and the TLS connection
	// survives it because the error is a temporary net.Error.
	_ = cli.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := cli.Read(got[:1])
	checkTimeout(t, err)
	_ = cli.SetReadDeadline(deadline)
	if _, err := cli.Write([]byte{1}); err != nil {
		t.Fatalf("tls Write after timeout: %v", err)
	}
	n, err := io.ReadFull(cli, got[:4])
	if err != nil || string(got[:n]) != "late" {
		t.Fatalf("tls Read after timeout: %q, %v", got[:n], err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("tls server: %v", err)
	}
}

// checkTimeout asserts the standard timeout shape (R3).
func checkTimeout(t *testing.T, err error) {
	t.Helper()
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a net.Error with Timeout()", err)
	}
	if te, ok := err.(interface{ Temporary() bool }); !ok || !te.Temporary() {
		t.Errorf("err = %v: top-level Temporary() must be true for crypto/tls", err)
	}
	if _, ok := err.(*net.OpError); !ok {
		t.Errorf("err = %T, want *net.OpError", err)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want errors.Is os.ErrDeadlineExceeded and ErrTimeout", err)
	}
}

// selfSigned makes a certificate for "localhost" and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
