package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

// TestAllModes starts every mode × protocol, echoes through it from two
// clients at once, and stops it as SIGINT would.
func TestAllModes(t *testing.T) {
	for _, mode := range []string{"reactor", "single", "multi"} {
		for _, proto := range []string{"tcp", "udp"} {
			t.Run(mode+"-"+proto, func(t *testing.T) {
				p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-mode", mode, "-proto", proto, "-loops", "2")
				if !strings.Contains(p.Stdout(), fmt.Sprintf("echo-server (%s, %s) listening on 127.0.0.1:", mode, proto)) {
					t.Fatalf("listening line: %q", p.Stdout())
				}
				check := echoTCP
				if proto == "udp" {
					check = echoUDP
				}
				// single serves one TCP client at a time: one after another.
				for i := 0; i < 2; i++ {
					if err := check(p.Addr, fmt.Sprintf("%s-%s-%d", mode, proto, i)); err != nil {
						t.Fatal(err)
					}
				}
				if code := p.Stop(t); code != exitOK {
					t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
				}
			})
		}
	}
}

// TestMultiServesClientsAtOnce: in multi mode a second client is echoed
// while the first is still connected.
func TestMultiServesClientsAtOnce(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-mode", "multi")
	first, err := net.DialTimeout("tcp", p.Addr, exampletest.Wait)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if err := echoTCP(p.Addr, "second"); err != nil {
		t.Fatal(err)
	}
	if code := p.Stop(t); code != exitOK {
		t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
	}
}

// echoTCP sends msg, half-closes, and expects exactly msg back.
func echoTCP(addr, msg string) error {
	c, err := net.DialTimeout("tcp", addr, exampletest.Wait)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(exampletest.Wait))
	want := bytes.Repeat([]byte(msg), 1000)
	if _, err := c.Write(want); err != nil {
		return err
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		return err
	}
	got, err := io.ReadAll(c)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("echo of %d bytes returned %d", len(want), len(got))
	}
	return nil
}

// echoUDP sends msg until its echo comes back (UDP may drop).
func echoUDP(addr, msg string) error {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(exampletest.Wait)
	buf := make([]byte, 2048)
	for time.Now().Before(deadline) {
		if _, err := c.Write([]byte(msg)); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
		n, err := c.Read(buf)
		if err != nil {
			continue // lost: send again
		}
		if string(buf[:n]) != msg {
			return fmt.Errorf("udp echo %q, want %q", buf[:n], msg)
		}
		return nil
	}
	return fmt.Errorf("no udp echo of %q", msg)
}

func TestExitStatuses(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"-h"}, exitOK, "-mode"},
		{[]string{"-mode", "bogus", "-addr", "127.0.0.1:0"}, exitUsage, "unknown -mode"},
		{[]string{"-proto", "sctp", "-addr", "127.0.0.1:0"}, exitUsage, "unknown -proto"},
		{[]string{"-idle", "nap", "-addr", "127.0.0.1:0"}, exitUsage, "unknown -idle"},
		{[]string{"-addr", "nonsense"}, exitUsage, "-addr"},
		{[]string{"-addr", ":99999"}, exitUsage, "-addr"},
		{[]string{"-loops", "-1"}, exitUsage, "-loops"},
		{[]string{"-loops", "2000", "-addr", "127.0.0.1:0"}, exitUsage, "-loops"},
		{[]string{"-read-timeout", "-1s", "-addr", "127.0.0.1:0"}, exitUsage, "-read-timeout"},
		{[]string{"-addr", "127.0.0.1:0", "extra"}, exitUsage, "unexpected"},
		{[]string{"-nope"}, exitUsage, "not defined"},
		{[]string{"-addr", busy.Addr().String()}, exitError, "address already in use"},
		{[]string{"-addr", busy.Addr().String(), "-mode", "multi"}, exitError, "address"},
	} {
		code, _, stderr := exampletest.Run(t, run, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.say) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.say)
		}
		if code == exitUsage && !strings.Contains(stderr, usage) {
			t.Errorf("%q: stderr %q lacks the usage line", tc.args, stderr)
		}
	}
}

// TestSingleDropsSilentClient: in single mode a client that connects and
// says nothing is dropped after the read or idle timeout, so the next
// client is served; without the flags the defaults apply.
func TestSingleDropsSilentClient(t *testing.T) {
	for _, flag := range []string{"-read-timeout", "-idle-timeout"} {
		t.Run(flag, func(t *testing.T) {
			p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-mode", "single", flag, "200ms")
			silent, err := net.DialTimeout("tcp", p.Addr, exampletest.Wait)
			if err != nil {
				t.Fatal(err)
			}
			defer silent.Close()
			if err := echoTCP(p.Addr, "next"); err != nil {
				t.Fatal(err)
			}
			_ = silent.SetReadDeadline(time.Now().Add(exampletest.Wait))
			if _, err := silent.Read(make([]byte, 1)); err == nil || isTimeout(err) {
				t.Fatalf("silent client read %v, want it disconnected", err)
			}
			if code := p.Stop(t); code != exitOK {
				t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
			}
		})
	}
}

// TestDefaultTimeouts: single and multi modes time out silent clients by
// default.
func TestDefaultTimeouts(t *testing.T) {
	cfg, _, err := parseFlags([]string{"-mode", "single"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.readTimeout <= 0 || cfg.writeTimeout <= 0 || cfg.idleTimeout <= 0 {
		t.Fatalf("default timeouts read %v, write %v, idle %v: want all set", cfg.readTimeout, cfg.writeTimeout, cfg.idleTimeout)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
