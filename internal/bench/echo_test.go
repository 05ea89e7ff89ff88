package bench

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
)

// tcpEcho is an in-test goroutine-per-connection echo server. corrupt, when
// set, may alter each chunk before it is echoed.
type tcpEcho struct {
	ln      net.Listener
	corrupt func([]byte)
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]bool
}

// startTCPEcho serves on 127.0.0.1:0 until the test ends and returns the address.
func startTCPEcho(t *testing.T, corrupt func([]byte)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &tcpEcho{ln: ln, corrupt: corrupt, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.close)
	return ln.Addr().String()
}

func (s *tcpEcho) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *tcpEcho) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if s.corrupt != nil {
				s.corrupt(buf[:n])
			}
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (s *tcpEcho) close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// startUDPEcho serves datagrams on 127.0.0.1:0 until the test ends; drop,
// when set, is asked about every datagram (numbered from 0) and swallows it
// when it returns true.
func startUDPEcho(t *testing.T, drop func(i int) bool) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for i := 0; ; i++ {
			n, from, err := pc.ReadFrom(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil || (drop != nil && drop(i)) {
				continue
			}
			_, _ = pc.WriteTo(buf[:n], from)
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String()
}

// testCtx is a context bounded well inside the test's own deadline.
func testCtx(t *testing.T) context.Context {
	return testkit.Context(t, testBound)
}
