package reactor

import (
	"fmt"
	"net"
	"os"
	"testing"
	"time"
)

// TestUnixAbstractName listens on and dials a Linux abstract name: it
// serves like a path, and no file is made or removed.
func TestUnixAbstractName(t *testing.T) {
	r, _ := newTestReactor(t)
	name := fmt.Sprintf("@usocket-reactor-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	ln, err := r.Listen(testContext(t), "unix", name, echo())
	if err != nil {
		t.Fatalf("Listen %s: %v", name, err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if a, ok := ln.Addr().(*net.UnixAddr); !ok || a.Name != name {
		t.Fatalf("Addr = %#v, want *net.UnixAddr %q", ln.Addr(), name)
	}
	echoRoundTrip(t, dialUnix(t, name), "abstract")
	got := make(chan string, 1)
	var buf []byte
	c, err := r.Dial(testContext(t), "unix", name, &funcs{
		open: func(c *Conn) { _, _ = c.Write([]byte("ab")) },
		data: func(c *Conn, b []byte) {
			if buf = append(buf, b...); len(buf) == 2 {
				got <- string(buf)
				_ = c.Close()
			}
		},
	})
	if err != nil {
		t.Fatalf("Dial %s: %v", name, err)
	}
	if a, ok := c.RemoteAddr().(*net.UnixAddr); !ok || a.Name != name {
		t.Errorf("RemoteAddr = %#v, want %q", c.RemoteAddr(), name)
	}
	if s := recv(t, got, "echo"); s != "ab" {
		t.Fatalf("echo = %q", s)
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
