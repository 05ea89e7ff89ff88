//go:build unix

package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/usocket"
	"golang.org/x/sys/unix"
)

func init() {
	children["emfile-accept"] = emfileAcceptChild
	children["emfile-connect"] = emfileConnectChild
}

// Descriptor exhaustion (EMFILE) at accept and at connect, in a child
// process, since the limit is process-wide.

func runChildTest(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := testkit.RunChild(ctx, name)
	if err != nil {
		t.Fatalf("child %s failed: %v\n%s", name, err, out)
	}
	if !strings.Contains(string(out), name+" child: ok") {
		t.Fatalf("child %s exited without its success line:\n%s", name, out)
	}
	t.Logf("child output:\n%s", out)
}

// TestEMFILEAcceptFacade: a usocket.Listener whose process is out of
// descriptors makes Accept return a temporary, typed EMFILE error (or keep
// waiting until its deadline), and once descriptors are free the pending
// client is accepted and served.
func TestEMFILEAcceptFacade(t *testing.T) { runChildTest(t, "emfile-accept") }

// TestEMFILEConnectFacade: usocket.Connect with no descriptor left fails
// with an *usocket.Error wrapping EMFILE, also when only the reactor's
// duplicate of the socket fails, leaks nothing, and succeeds once
// descriptors are free.
func TestEMFILEConnectFacade(t *testing.T) { runChildTest(t, "emfile-connect") }

func emfileAcceptChild() error {
	sink := newHookSink()
	r, err := reactor.New(reactor.WithLoops(1), reactor.WithErrorHook(sink.hook))
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	lc := usocket.ListenConfig{Reactor: r}
	ln, err := lc.Listen(ctx, "127.0.0.1", usocket.AutoPort)
	if err != nil {
		return err
	}
	defer ln.Close()
	cfd, err := testkit.BlockingClient(testTimeout)
	if err != nil {
		return err
	}
	defer unix.Close(cfd)

	ex, err := testkit.ExhaustFDs()
	if err != nil {
		return err
	}
	defer ex.Restore()
	fmt.Printf("emfile-accept child: %d descriptors open up to the limit\n", ex.Len())
	if err := testkit.Connect(cfd, testkit.Loopback4(int(ln.AddrPort().Port())), testTimeout); err != nil {
		return err
	}

	// Out of descriptors, Accept either reports EMFILE as a temporary
	// accept error (as net/http.Server expects, to back off and retry) or
	// keeps waiting, until its deadline.
	if err := ln.SetDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
		return err
	}
	c, err := ln.Accept()
	var ne net.Error
	var ue *usocket.Error
	switch {
	case err == nil:
		_ = c.Close()
		return errors.New("Accept returned a connection with no descriptor free")
	case !errors.As(err, &ne):
		return fmt.Errorf("Accept out of descriptors = %v (%T), want a net.Error", err, err)
	case ne.Timeout() && errors.Is(err, os.ErrDeadlineExceeded):
		fmt.Printf("emfile-accept child: Accept kept waiting: %v\n", err)
	case errors.Is(err, syscall.EMFILE) && errors.As(err, &ue) && errors.Is(err, usocket.ErrSocket):
		if !isTemporary(err) {
			return fmt.Errorf("Accept out of descriptors = %v; EMFILE should be Temporary", err)
		}
		fmt.Printf("emfile-accept child: Accept reported %v (kind %q, temporary)\n", err, usocket.ConditionName(err))
	default:
		return fmt.Errorf("Accept out of descriptors = %v; want a temporary EMFILE or its deadline", err)
	}

	if err := ex.Restore(); err != nil {
		return err
	}
	if err := ln.SetDeadline(time.Time{}); err != nil {
		return err
	}
	conn, err := ln.AcceptConn(ctx)
	if err != nil {
		return fmt.Errorf("Accept after freeing descriptors: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(testTimeout))
	if _, err := testkit.RetryEINTR(func() (int, error) { return unix.Write(cfd, []byte("ping")) }); err != nil {
		return fmt.Errorf("client write: %w", err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "ping" {
		return fmt.Errorf("server read %q, %v", buf, err)
	}
	if _, err := conn.Write([]byte("pong")); err != nil {
		return fmt.Errorf("server write: %w", err)
	}
	if n, err := testkit.RetryEINTR(func() (int, error) { return unix.Read(cfd, buf) }); err != nil || string(buf[:n]) != "pong" {
		return fmt.Errorf("client read %q, %v", buf[:n], err)
	}
	for len(sink.ch) > 0 { // the reactor may report, but must not fail
		fmt.Printf("emfile-accept child: reactor reported %v\n", <-sink.ch)
	}
	fmt.Println("emfile-accept child: ok")
	return nil
}

// isTemporary reports whether err says a retry may succeed.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// checkEMFILE checks the shape of a connect that ran out of descriptors.
func checkEMFILE(what string, err error) error {
	var oe *net.OpError
	var ue *usocket.Error
	switch {
	case err == nil:
		return fmt.Errorf("%s succeeded with no descriptor free", what)
	case !errors.Is(err, syscall.EMFILE):
		return fmt.Errorf("%s: %v, want EMFILE", what, err)
	case !errors.As(err, &oe) || oe.Op != "dial":
		return fmt.Errorf("%s: %v (%T), want a *net.OpError with Op dial", what, err, err)
	case !errors.As(err, &ue) || !errors.Is(err, usocket.ErrSocket):
		return fmt.Errorf("%s: %v, want an *usocket.Error under ErrSocket", what, err)
	}
	fmt.Printf("emfile-connect child: %s: %v (kind %q)\n", what, err, usocket.ConditionName(err))
	return nil
}

func emfileConnectChild() error {
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var lc net.ListenConfig
	nl, err := lc.Listen(ctx, "tcp4", "127.0.0.1:0") // the kernel's backlog accepts
	if err != nil {
		return err
	}
	defer nl.Close()
	port := nl.Addr().(*net.TCPAddr).Port
	d := usocket.Dialer{Reactor: r}

	ex, err := testkit.ExhaustFDs()
	if err != nil {
		return err
	}
	defer ex.Restore()
	_, err = d.Connect(ctx, "127.0.0.1", port)
	if err := checkEMFILE("Connect with no descriptor", err); err != nil {
		return err
	}
	// One descriptor free: the socket is made and connected, but the
	// reactor's duplicate of it fails.
	ex.Free(1)
	c1, err := d.Connect(ctx, "127.0.0.1", port)
	switch {
	case facadeDupsDescriptor:
		if err := checkEMFILE("Connect with one descriptor", err); err != nil {
			return err
		}
	case err != nil: // no duplicate on the net backend: one descriptor is enough
		return fmt.Errorf("Connect with one descriptor on the net backend: %w", err)
	default:
		_ = c1.Close()
	}
	// The failed Connect must have given its socket back.
	fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("the failed Connect kept its descriptor: %w", err)
	}
	_ = unix.Close(fd)

	if err := ex.Restore(); err != nil {
		return err
	}
	c, err := d.Connect(ctx, "127.0.0.1", port)
	if err != nil {
		return fmt.Errorf("Connect after freeing descriptors: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		return err
	}
	// The backlog holds the two connects that failed on our side (they
	// were closed) and this one; find the one that says ping.
	_ = nl.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	for {
		s, err := nl.Accept()
		if err != nil {
			return fmt.Errorf("accept: %w", err)
		}
		_ = s.SetDeadline(time.Now().Add(testTimeout))
		buf := make([]byte, 4)
		_, err = io.ReadFull(s, buf)
		_ = s.Close()
		if err == nil && string(buf) == "ping" {
			break
		}
	}
	fmt.Println("emfile-connect child: ok")
	return nil
}
