package reactortls

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// echoClient sends size random bytes through a new TLS connection and
// checks they come back, then closes with close_notify.
func echoClient(addr string, seed uint64, size int) error {
	d := &net.Dialer{Timeout: 20 * time.Second}
	c, err := tlsDial(d, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(60 * time.Second))
	msg := make([]byte, size)
	rng := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = rng.Read(msg)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(msg)
		werr <- err
	}()
	got := make([]byte, size)
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if err := <-werr; err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return errors.New("echo differs")
	}
	return nil
}

func runEchoClients(t *testing.T, addr string, n, maxSize int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(17, uint64(n)))
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		size := 1 + rng.IntN(maxSize)
		wg.Go(func() { errs <- echoClient(addr, uint64(i), size) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// 1,000 concurrent TLS echo connections (50 under -race, which slows
// crypto/tls manyfold), random sizes up to 256 KiB, every byte checked.
func TestManyConcurrentConns(t *testing.T) {
	n := 1000
	if raceEnabled {
		n = 50
	}
	addr, _, _ := startServer(t, echo{}, &Config{TLS: serverTLS()})
	runEchoClients(t, addr, n, 256<<10)
}

// pauser echoes, pausing reading after every OnData and resuming a moment
// later, so that records decrypted ahead wait in the layer.
type pauser struct{ reactor.BaseHandler }

func (pauser) OnData(c *reactor.Conn, b []byte) {
	_, _ = c.Write(b)
	_ = c.PauseRead()
	_, _ = c.AfterFunc(0, func() { _ = c.ResumeRead() })
}

func TestPauseResumeKeepsEveryByte(t *testing.T) {
	addr, _, _ := startServer(t, pauser{}, &Config{TLS: serverTLS()})
	runEchoClients(t, addr, 20, 256<<10)
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}
