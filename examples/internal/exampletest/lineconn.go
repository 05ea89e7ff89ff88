package exampletest

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// LineConn is a test client for line protocols; every call is bounded by
// Wait and fails the test on error.
type LineConn struct {
	net.Conn
	r *bufio.Reader
}

// DialLines connects to a TCP address; the connection is closed at cleanup.
func DialLines(t testing.TB, addr string) *LineConn {
	t.Helper()
	d := net.Dialer{Timeout: Wait}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return NewLineConn(c)
}

// NewLineConn wraps c.
func NewLineConn(c net.Conn) *LineConn { return &LineConn{Conn: c, r: bufio.NewReader(c)} }

// Send writes s and a newline.
func (c *LineConn) Send(t testing.TB, s string) {
	t.Helper()
	_ = c.SetWriteDeadline(time.Now().Add(Wait))
	if _, err := c.Write([]byte(s + "\n")); err != nil {
		t.Fatalf("send %q: %v", s, err)
	}
}

// ReadLine returns the next line without its newline.
func (c *LineConn) ReadLine(t testing.TB) string {
	t.Helper()
	line, err := c.TryReadLine(time.Now().Add(Wait))
	if err != nil {
		t.Fatalf("read line: %v", err)
	}
	return line
}

// TryReadLine returns the next line or the read error (io.EOF, a timeout).
func (c *LineConn) TryReadLine(deadline time.Time) (string, error) {
	_ = c.SetReadDeadline(deadline)
	line, err := c.r.ReadString('\n')
	if err != nil {
		return line, err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// Expect skips lines until one contains want and returns it; the skipped
// lines are returned too, for checks on what came before.
func (c *LineConn) Expect(t testing.TB, want string) (line string, skipped []string) {
	t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		l, err := c.TryReadLine(deadline)
		if err != nil {
			t.Fatalf("waiting for %q (after %q): %v", want, skipped, err)
		}
		if strings.Contains(l, want) {
			return l, skipped
		}
		skipped = append(skipped, l)
	}
}

// JoinChat connects to the chat example's room at addr and joins it as
// name; it returns once the room greeted it.
func JoinChat(t testing.TB, addr, name string) *LineConn {
	t.Helper()
	c := DialLines(t, addr)
	c.Expect(t, "send your name")
	c.Send(t, name)
	c.Expect(t, "hello "+name)
	return c
}
