package main

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
	"github.com/usocket-go/usocket/handler"
)

// echoServers starts the echo server's TCP and UDP handlers on loopback.
func echoServers(t *testing.T) (tcpPort, udpPort string) {
	t.Helper()
	ctx := context.Background()
	ts, err := handler.Serve(ctx, "tcp", "127.0.0.1:0", handler.Echo{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ts.Close() })
	us, err := (&handler.DatagramServer{Host: "127.0.0.1", Handler: handler.EchoDatagram}).Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = us.Close()
		<-us.Done()
	})
	return strconv.Itoa(ts.Addr().(*net.TCPAddr).Port), strconv.Itoa(int(us.AddrPort().Port()))
}

// runWith runs ucat to completion with stdin.
func runWith(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return exampletest.Run(t, func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		return run(ctx, args, strings.NewReader(stdin), stdout, stderr)
	}, args...)
}

// TestTCPHalfClose: like `echo ... | ucat host port`, the whole echo comes
// back because ucat half-closes at the end of stdin.
func TestTCPHalfClose(t *testing.T) {
	tcpPort, _ := echoServers(t)
	in := strings.Repeat("hello, usocket\n", 50000)
	code, out, stderr := runWith(t, in, "127.0.0.1", tcpPort)
	if code != 0 || out != in {
		t.Fatalf("exit %d, %d of %d bytes back; stderr %q", code, len(out), len(in), stderr)
	}
}

func TestUDPConnect(t *testing.T) {
	_, udpPort := echoServers(t)
	code, out, stderr := runWith(t, "hi\n", "-u", "-w", "500ms", "127.0.0.1", udpPort)
	if code != 0 || out != "hi\n" {
		t.Fatalf("exit %d, out %q, stderr %q", code, out, stderr)
	}
}

// startListening runs `ucat -l ...` with stdin; its stderr carries the
// listening line, which exampletest.Start reads.
func startListening(t *testing.T, stdin string, out *exampletest.Buffer, args ...string) *exampletest.Program {
	t.Helper()
	return exampletest.Start(t, func(ctx context.Context, args []string, stdout, _ io.Writer) int {
		return run(ctx, args, strings.NewReader(stdin), out, stdout)
	}, args...)
}

func TestTCPListen(t *testing.T) {
	var out exampletest.Buffer
	p := startListening(t, "from ucat\n", &out, "-l", "127.0.0.1", "0")
	c, err := net.DialTimeout("tcp", p.Addr, exampletest.Wait)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	if _, err := c.Write([]byte("from client\n")); err != nil {
		t.Fatal(err)
	}
	_ = c.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "from ucat\n" {
		t.Fatalf("client read %q, %v", got, err)
	}
	// Both directions are done, so ucat ends by itself once it has printed
	// what the client sent.
	if code := p.Wait(t); code != 0 || out.String() != "from client\n" {
		t.Fatalf("exit %d, ucat printed %q", code, out.String())
	}
}

func TestUDPListen(t *testing.T) {
	var out exampletest.Buffer
	p := startListening(t, "pong", &out, "-u", "-l", "-w", "300ms", "127.0.0.1", "0")
	c, err := net.Dial("udp", p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "pong" {
		t.Fatalf("client read %q, %v", buf[:n], err)
	}
	if code := p.Stop(t); code != 0 || out.String() != "ping" {
		t.Fatalf("exit %d, ucat printed %q", code, out.String())
	}
}

func TestUsageAndErrors(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := strconv.Itoa(closed.Addr().(*net.TCPAddr).Port)
	_ = closed.Close()
	for _, tc := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"-h"}, 0, "usage: ucat"},
		{nil, 2, usage},
		{[]string{"127.0.0.1", "port"}, 2, usage},
		{[]string{"-w", "0", "127.0.0.1", "1"}, 2, "-w"},
		{[]string{"127.0.0.1", "99999"}, 2, usage},
		{[]string{"127.0.0.1", "70000"}, 2, "70000"},
		{[]string{"127.0.0.1", "1", "extra"}, 2, usage},
		{[]string{"-nope", "127.0.0.1", "1"}, 2, usage},
		{[]string{"127.0.0.1", refused}, 1, "refused"},
	} {
		code, _, stderr := runWith(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.say) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.say)
		}
	}
}
