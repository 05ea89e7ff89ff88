package main

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

// The server runs on usocket's listener and the client on its Dialer;
// bodies cross both intact, including over a kept-alive connection.
func TestServeAndFetchThroughUsocket(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-max-body", "4194304")
	base := "http://" + p.Addr
	c := newClient(exampletest.Wait)
	defer c.CloseIdleConnections()
	for i := range 3 {
		body := make([]byte, 1+rand.IntN(4<<20))
		for j := range body {
			body[j] = byte(rand.Uint32())
		}
		resp, err := c.Post(base+"/echo", "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
			t.Fatalf("request %d: status %s, %d bytes back of %d, err %v", i, resp.Status, len(got), len(body), err)
		}
	}
	code, out, stderr := exampletest.Run(t, run, "-get", base+"/")
	if code != cli.ExitOK || !strings.HasPrefix(out, "hello from usocket-go, 127.0.0.1:") {
		t.Fatalf("-get: exit %d, out %q, stderr %s", code, out, stderr)
	}
	if code := p.Stop(t); code != cli.ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, p.Stderr())
	}
}

// A body over -max-body is refused, and the server goes on serving.
func TestEchoRefusesOversizeBody(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-max-body", "1024")
	c := newClient(exampletest.Wait)
	defer c.CloseIdleConnections()
	resp, err := c.Post("http://"+p.Addr+"/echo", "text/plain", strings.NewReader(strings.Repeat("x", 4096)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %s, want 413", resp.Status)
	}
	code, out, _ := exampletest.Run(t, run, "-get", "http://"+p.Addr+"/")
	if code != cli.ExitOK || out == "" {
		t.Fatalf("server stopped serving after an oversize body: exit %d", code)
	}
}

// A client that opens a connection and sends nothing is disconnected by
// the read timeout instead of holding the connection for ever.
func TestSilentClientIsCutOff(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-read-timeout", "200ms")
	c, err := net.DialTimeout("tcp", p.Addr, exampletest.Wait)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	_, _ = c.Write([]byte("GET / HTTP/1.1\r\n")) // a request that never ends
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"-addr", "nonsense"}, {"-read-timeout", "0s"}, {"-max-body", "0"}} {
		if code, _, stderr := exampletest.Run(t, run, args...); code != cli.ExitUsage {
			t.Errorf("%q: exit %d, want %d; stderr: %s", args, code, cli.ExitUsage, stderr)
		}
	}
}

func TestGetFailureExit1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), exampletest.Wait)
	defer cancel()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"-get", "http://" + addr + "/"}, &out, &errb); code != cli.ExitError {
		t.Fatalf("exit %d, want %d; stderr: %s", code, cli.ExitError, errb.String())
	}
}
