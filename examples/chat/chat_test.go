package main

import (
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

func TestChatThreeClients(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0")
	alice := exampletest.JoinChat(t, p.Addr, "alice")
	bob := exampletest.JoinChat(t, p.Addr, "bob")
	alice.Expect(t, "* bob joined")
	carol := exampletest.JoinChat(t, p.Addr, "carol")
	alice.Expect(t, "* carol joined")
	bob.Expect(t, "* carol joined")

	alice.Send(t, "hi all")
	bob.Expect(t, "alice: hi all")
	carol.Expect(t, "alice: hi all")

	// alice must not get her own line back: the next thing she reads is
	// bob's answer.
	bob.Send(t, "hey alice")
	if got := alice.ReadLine(t); got != "bob: hey alice" {
		t.Fatalf("alice read %q, want bob's line only", got)
	}
	carol.Expect(t, "bob: hey alice")

	carol.Send(t, "/nick caz")
	for _, c := range []*exampletest.LineConn{alice, bob, carol} {
		c.Expect(t, "* carol is now caz")
	}
	bob.Send(t, "/who")
	if line, _ := bob.Expect(t, "* here:"); line != "* here: alice, bob, caz" {
		t.Fatalf("/who: %q", line)
	}
	carol.Send(t, "/quit")
	alice.Expect(t, "* caz left")
	bob.Expect(t, "* caz left")

	if code := p.Stop(t); code != 0 {
		t.Fatalf("exit status %d; stderr: %s", code, p.Stderr())
	}
	alice.Expect(t, "shutting down")
}

func TestChatLongLineDisconnects(t *testing.T) {
	p := exampletest.Start(t, run, "-addr", "127.0.0.1:0", "-max-line", "64")
	c := exampletest.JoinChat(t, p.Addr, "dave")
	c.Send(t, strings.Repeat("x", 100))
	c.Expect(t, "line too long")
	if _, err := c.TryReadLine(time.Now().Add(exampletest.Wait)); err == nil {
		t.Fatal("connection still open after an over-long line")
	}
}

// TestChatUsageErrors: a usage error exits 2 with the usage line, before
// anything is served.
func TestChatUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", ":99999"}, {"-addr", "nonsense"}, {"extra"}, {"-addr", "127.0.0.1:0", "extra"},
		{"-max-queue", "0"}, {"-max-line", "-1"}, {"-rate", "0"}, {"-burst", "0"}, {"-nope"},
	} {
		code, stdout, stderr := exampletest.Run(t, run, args...)
		if code != 2 || !strings.Contains(stderr, usage) || strings.Contains(stdout, "listening") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and the usage line", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := exampletest.Run(t, run, "-h"); code != 0 || !strings.Contains(stderr, "-max-queue") {
		t.Errorf("-h: exit %d, stderr %q", code, stderr)
	}
}
