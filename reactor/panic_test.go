package reactor

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

var errBoom = errors.New("boom")

func TestPanicInCallbackClosesOnlyThatConn(t *testing.T) {
	r, sink := newTestReactor(t)
	closedWith := make(chan error, 8)
	h := &funcs{
		data: func(c *Conn, b []byte) {
			if bytes.Contains(b, []byte("panic")) {
				panic(errBoom)
			}
			_, _ = c.Write(b)
		},
		close: func(c *Conn, err error) { closedWith <- err },
	}
	ln := listen(t, r, h)
	before := dial(t, ln.Addr())
	echoRoundTrip(t, before, "I was here before")

	victim := dial(t, ln.Addr())
	if _, err := victim.Write([]byte("please panic")); err != nil {
		t.Fatal(err)
	}
	err := sink.waitFor(t, "a *PanicError", func(err error) bool {
		var pe *PanicError
		return errors.As(err, &pe)
	})
	var pe *PanicError
	errors.As(err, &pe)
	if !errors.Is(err, errBoom) || len(pe.Stack) == 0 {
		t.Fatalf("hook got %v (stack %d bytes); want the panic value wrapped, with a stack", err, len(pe.Stack))
	}
	if err := recv(t, closedWith, "OnClose of the panicking conn"); !errors.As(err, &pe) {
		t.Fatalf("OnClose(%v); want the *PanicError", err)
	}
	if b, err := io.ReadAll(victim); len(b) != 0 {
		t.Fatalf("panicking conn sent %q (%v); want it closed", b, err)
	}

	echoRoundTrip(t, before, "and I am still served")
	echoRoundTrip(t, dial(t, ln.Addr()), "new conns are served too")
	if r.NumConns() != 2 {
		t.Fatalf("NumConns = %d, want 2", r.NumConns())
	}
}

func TestPanicInOnOpenAndExecute(t *testing.T) {
	r, sink := newTestReactor(t, WithLoops(1))
	closedWith := make(chan error, 8)
	opened := make(chan *Conn, 8)
	first := true // loop-owned: the only loop runs every callback
	h := &funcs{
		open: func(c *Conn) {
			opened <- c
			if first {
				first = false
				panic("in OnOpen")
			}
		},
		data:  echoData,
		close: func(c *Conn, err error) { closedWith <- err },
	}
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	recv(t, opened, "first OnOpen")
	var pe *PanicError
	if err := recv(t, closedWith, "OnClose after OnOpen panicked"); !errors.As(err, &pe) || pe.Value != "in OnOpen" {
		t.Fatalf("OnClose(%v); want *PanicError{in OnOpen}", err)
	}
	c := dial(t, ln.Addr())
	sc := recv(t, opened, "second OnOpen")
	echoRoundTrip(t, c, "fine")
	if err := sc.Execute(func() { panic("in Execute") }); err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if err := recv(t, closedWith, "OnClose after Execute's func panicked"); !errors.As(err, &pe) || pe.Value != "in Execute" {
		t.Fatalf("OnClose(%v); want *PanicError{in Execute}", err)
	}
	for _, want := range []string{"in OnOpen", "in Execute"} {
		sink.waitFor(t, "*PanicError "+want, func(err error) bool {
			return errors.As(err, &pe) && pe.Value == want
		})
	}
}
