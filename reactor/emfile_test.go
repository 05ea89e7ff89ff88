//go:build unix

package reactor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
	"golang.org/x/sys/unix"
)

func init() { children["emfile"] = emfileChild }

// TestAcceptEMFILEBacksOff runs emfileChild in a child process, since it
// lowers the process's RLIMIT_NOFILE.
func TestAcceptEMFILEBacksOff(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	out, err := testkit.RunChild(ctx, "emfile")
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "emfile child: ok") {
		t.Fatalf("child exited without its success line:\n%s", out)
	}
	t.Logf("child output:\n%s", out)
}

// emfileChild: with every descriptor in use, a pending connection makes
// accept fail with EMFILE. The listener must report an *AcceptError wrapping
// EMFILE, back off instead of giving up, and serve the connection once
// descriptors are free again.
func emfileChild() error {
	hook := make(chan error, 64)
	r, err := New(WithLoops(1), WithErrorHook(func(err error) {
		select {
		case hook <- err:
		default:
		}
	}))
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	ln, err := r.Listen(ctx, "tcp4", "127.0.0.1:0", echo())
	if err != nil {
		return err
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	// The client socket exists before the limit: connect needs no new fd.
	cfd, err := testkit.BlockingClient(testTimeout)
	if err != nil {
		return err
	}
	defer unix.Close(cfd)

	fds, err := testkit.ExhaustFDs()
	if err != nil {
		return err
	}
	defer fds.Restore()
	fmt.Printf("emfile child: %d descriptors open up to the limit\n", fds.Len())

	if err := testkit.Connect(cfd, testkit.Loopback4(port), testTimeout); err != nil {
		return err
	}
	var acceptErr *AcceptError
	for acceptErr == nil {
		select {
		case err := <-hook:
			if !errors.As(err, &acceptErr) || !errors.Is(err, unix.EMFILE) {
				return fmt.Errorf("hook got %v; want an *AcceptError wrapping EMFILE", err)
			}
		case <-time.After(testTimeout):
			return errors.New("accept error never reported")
		}
	}
	fmt.Printf("emfile child: hook got %v\n", acceptErr)

	if err := fds.Restore(); err != nil {
		return err
	}
	// The listener must be retrying: the pending connection gets served.
	if _, err := testkit.RetryEINTR(func() (int, error) { return unix.Write(cfd, []byte("ping")) }); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	got := make([]byte, 0, 4)
	buf := make([]byte, 4)
	for len(got) < 4 {
		n, err := testkit.RetryEINTR(func() (int, error) { return unix.Read(cfd, buf[:4-len(got)]) })
		if err != nil {
			return fmt.Errorf("read echo after freeing fds: %w", err)
		}
		if n == 0 {
			return errors.New("EOF before the echo")
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "ping" {
		return fmt.Errorf("echo = %q, want ping", got)
	}
	select {
	case err := <-hook:
		return fmt.Errorf("unexpected second report %v: one per back-off episode", err)
	default:
	}
	fmt.Println("emfile child: ok")
	return nil
}
