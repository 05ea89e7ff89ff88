package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"
)

// echoServer is a UDP echo server under benchmark: its address and a stop
// function that returns once it has stopped.
type echoServer struct {
	addr netip.AddrPort
	stop func()
}

// startUDPEcho runs an echo loop on this package's socket: Receive, Send.
func startUDPEcho(b *testing.B) echoServer {
	s, err := (&Config{ReadBuffer: 4 << 20}).Listen(context.Background(), "127.0.0.1", 0)
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, MaxDatagramSize)
		for {
			n, _, from, err := s.Receive(buf)
			if err != nil {
				return
			}
			_, _ = s.Send(buf[:n], from)
		}
	}()
	return echoServer{s.LocalAddrPort(), func() { _ = s.Close(); <-done }}
}

// startStdEcho runs the same loop on a standard-library socket.
func startStdEcho(b *testing.B) echoServer {
	s, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	_ = s.SetReadBuffer(4 << 20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, MaxDatagramSize)
		for {
			n, from, err := s.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			_, _ = s.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	return echoServer{s.LocalAddr().(*net.UDPAddr).AddrPort(), func() { _ = s.Close(); <-done }}
}

// BenchmarkPingPong measures UDP round trips against echo servers built on
// this package (udp: a goroutine looping on Receive and Send; udploop: a
// Responder on the event loop) and one built on the standard library
// (std: a goroutine looping on ReadFrom and WriteTo), with
// standard-library clients: conns clients each send a datagram and wait for
// its echo, b.N round trips in all. A lost datagram is resent after 200 ms
// and counted in the "lost" metric.
func BenchmarkPingPong(b *testing.B) {
	servers := []struct {
		name  string
		start func(*testing.B) echoServer
	}{{"udp", startUDPEcho}, {"udploop", startLoopEcho}, {"std", startStdEcho}}
	for _, conns := range []int{1, 50} {
		for _, size := range []int{64, 1400} {
			for _, srv := range servers {
				b.Run(fmt.Sprintf("c%d/%dB/%s", conns, size, srv.name), func(b *testing.B) {
					s := srv.start(b)
					defer s.stop()
					pingPong(b, s.addr, conns, size)
				})
			}
		}
	}
}

func pingPong(b *testing.B, addr netip.AddrPort, conns, size int) {
	clients := make([]*net.UDPConn, conns)
	for i := range clients {
		c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(addr))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		clients[i] = c
	}
	var lost sync.Map
	b.SetBytes(int64(2 * size))
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range clients {
		n := b.N / conns
		if i < b.N%conns {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, in := make([]byte, size), make([]byte, size+1)
			losses := 0
			for range n {
				for {
					if _, err := c.Write(out); err != nil {
						b.Error(err)
						return
					}
					_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
					if _, err := c.Read(in); err == nil {
						break
					} else if !errors.Is(err, os.ErrDeadlineExceeded) {
						b.Error(err)
						return
					}
					losses++
				}
			}
			lost.Store(i, losses)
		}()
	}
	wg.Wait()
	b.StopTimer()
	total := 0
	lost.Range(func(_, v any) bool { total += v.(int); return true })
	b.ReportMetric(float64(total), "lost")
}

// startLoopEcho runs the echo on the event loop with a Responder.
func startLoopEcho(b *testing.B) echoServer {
	cfg := Config{ReadBuffer: 4 << 20, Responder: func(req []byte, _ netip.AddrPort) []byte { return req }}
	s, err := cfg.Listen(context.Background(), "127.0.0.1", 0)
	if err != nil {
		b.Fatal(err)
	}
	return echoServer{s.LocalAddrPort(), func() { _ = s.Close() }}
}
