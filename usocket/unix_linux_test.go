package usocket

import (
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// TestUnixAbstractName listens on and dials a Linux abstract name: it
// serves like a path, and Close has no file to remove.
func TestUnixAbstractName(t *testing.T) {
	name := fmt.Sprintf("@usocket-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	ln, err := ListenUnix(testCtx(t), name)
	if err != nil {
		t.Fatalf("ListenUnix %s: %v", name, err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if a, ok := ln.Addr().(*net.UnixAddr); !ok || a.Name != name {
		t.Fatalf("Addr = %#v, want *net.UnixAddr %q", ln.Addr(), name)
	}
	c, a := unixPair(t, ln, name)
	mustWrite(t, c, "abstract")
	buf := make([]byte, len("abstract"))
	if _, err := io.ReadFull(a, buf); err != nil || string(buf) != "abstract" {
		t.Fatalf("read %q, %v", buf, err)
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	var d Dialer
	if _, err := d.DialContext(testCtx(t), "unix", name); err == nil {
		t.Fatal("dial of a closed abstract name succeeded")
	}
}
