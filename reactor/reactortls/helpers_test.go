package reactortls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/selfsigned"
	"github.com/usocket-go/usocket/reactor"
)

// testCert is a self-signed certificate for "localhost" and 127.0.0.1,
// made once per test binary.
var testCert = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
	cert, pool, err := selfsigned.New(24*time.Hour, "localhost", "127.0.0.1")
	if err != nil {
		panic(err)
	}
	return cert, pool
})

func serverTLS() *tls.Config {
	cert, _ := testCert()
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}

func clientTLS() *tls.Config {
	_, pool := testCert()
	return &tls.Config{RootCAs: pool, ServerName: "localhost"}
}

// hookErrs collects what the reactor's error hook gets.
type hookErrs struct {
	mu   sync.Mutex
	errs []error
	ch   chan error
}

func newHookErrs() *hookErrs { return &hookErrs{ch: make(chan error, 1024)} }

func (h *hookErrs) hook(err error) {
	select {
	case h.ch <- err:
	default:
	}
}

// next waits for the next reported error.
func (h *hookErrs) next(t *testing.T) error {
	t.Helper()
	select {
	case err := <-h.ch:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("no error reported within 10 s")
		return nil
	}
}

// startServer runs h over TLS on a private reactor on 127.0.0.1:0.
func startServer(t *testing.T, h reactor.Handler, cfg *Config, opts ...any) (addr string, hook *hookErrs, r *reactor.Reactor) {
	t.Helper()
	th, err := Server(h, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return startServerHandler(t, th, opts...)
}

// startServerHandler runs th (already wrapped) like startServer.
// opts are reactor.Options and reactor.ListenOptions.
func startServerHandler(t *testing.T, th reactor.Handler, opts ...any) (addr string, hook *hookErrs, r *reactor.Reactor) {
	t.Helper()
	hook = newHookErrs()
	ropts := []reactor.Option{reactor.WithLoops(2), reactor.WithErrorHook(hook.hook)}
	var lopts []reactor.ListenOption
	for _, o := range opts {
		switch o := o.(type) {
		case reactor.Option:
			ropts = append(ropts, o)
		case reactor.ListenOption:
			lopts = append(lopts, o)
		default:
			t.Fatalf("startServer: option %T", o)
		}
	}
	r, err := reactor.New(ropts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ln, err := r.Listen(ctx, "tcp", "127.0.0.1:0", th, lopts...)
	if err != nil {
		_ = r.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = ln.Close()
		_ = r.Close()
	})
	return ln.Addr().String(), hook, r
}

// echo writes back what it reads and closes gracefully on the peer's
// close_notify.
type echo struct{ reactor.BaseHandler }

func (echo) OnData(c *reactor.Conn, b []byte) { _, _ = c.Write(b) }

// tlsDial connects a crypto/tls client trusting testCert.
func tlsDial(d *net.Dialer, addr string) (*tls.Conn, error) {
	return tls.DialWithDialer(d, "tcp", addr, clientTLS())
}

// dialTLS connects a crypto/tls client with a deadline.
func dialTLS(t *testing.T, addr string, cfg *tls.Config) *tls.Conn {
	t.Helper()
	d := &net.Dialer{Timeout: 10 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { _ = c.Close() })
	return c
}
