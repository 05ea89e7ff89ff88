//go:build linux

package reactortls

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// flowEcho echoes and holds its peer back through TLS: it pauses reading
// while its outbound queue (ciphertext) is above the high-water mark.
type flowEcho struct{ echo }

func (flowEcho) OnWriteBlocked(c *reactor.Conn) { _ = c.PauseRead() }
func (flowEcho) OnWriteDrained(c *reactor.Conn) { _ = c.ResumeRead() }

// 50 peers that write and never read are held back: the heap (server and
// these clients together) grows by at most 16 MiB. Socket buffers and
// water marks are small, so that what the peers could send is mostly
// what the server holds.
func TestSlowReadersHeldBack(t *testing.T) {
	const peers = 50
	// Small socket buffers, so that the kernel holds little of what the
	// peers send and the test measures the reactor's holding back.
	small := reactor.WithListenControl(func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = errors.Join(syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10),
				syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 64<<10))
		})
		if err != nil {
			return err
		}
		return serr
	})
	addr, _, _ := startServer(t, flowEcho{}, &Config{TLS: serverTLS()}, small, reactor.WithWriteWaterMarks(64<<10, 16<<10), reactor.WithReadBufferSize(16<<10))
	before := heapInUse()
	start := time.Now()
	var wg sync.WaitGroup
	sent := make([]int, peers)
	errs := make(chan error, peers)
	conns := make([]net.Conn, peers)
	for i := range peers {
		c := dialSmallBuffers(t, addr)
		conns[i] = c
		wg.Go(func() {
			chunk := make([]byte, 16<<10)
			for sent[i] < 64<<20 {
				_ = c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
				n, err := c.Write(chunk)
				sent[i] += n
				if errors.Is(err, os.ErrDeadlineExceeded) {
					return // held back
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- errors.New("a peer that never reads sent 64 MiB")
		})
	}
	wg.Wait()
	t.Logf("peers held back after %v", time.Since(start))
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	growth := heapInUse() - before
	total := 0
	for _, n := range sent {
		total += n
	}
	t.Logf("peers sent %d KiB in all; heap grew %d KiB", total>>10, growth>>10)
	if growth > 16<<20 {
		t.Fatalf("heap grew %d MiB for %d slow readers, want <= 16 MiB", growth>>20, peers)
	}
	for _, c := range conns {
		_ = c.(*tls.Conn).NetConn().Close() // tls's Close would wait to send close_notify
	}
}

// dialSmallBuffers dials a TLS client whose socket buffers are small.
func dialSmallBuffers(t *testing.T, addr string) *tls.Conn {
	t.Helper()
	d := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 64<<10)
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10)
		})
	}}
	c, err := tls.DialWithDialer(d, "tcp", addr, clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.NetConn().Close() })
	return c
}
