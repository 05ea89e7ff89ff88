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
	// It is blocking, with timeouts bounding every call.
	cfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(cfd)
	tv := unix.NsecToTimeval(int64(testTimeout))
	for _, opt := range []int{unix.SO_RCVTIMEO, unix.SO_SNDTIMEO} {
		if err := unix.SetsockoptTimeval(cfd, unix.SOL_SOCKET, opt, &tv); err != nil {
			return fmt.Errorf("setsockopt: %w", err)
		}
	}

	fillers, restore, err := exhaustFDs()
	defer func() {
		for _, fd := range fillers {
			_ = unix.Close(fd)
		}
	}()
	if err != nil {
		return err
	}
	fmt.Printf("emfile child: %d descriptors open up to the limit\n", len(fillers))

	if err := unix.Connect(cfd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return fmt.Errorf("connect: %w", err)
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

	for _, fd := range fillers {
		_ = unix.Close(fd)
	}
	fillers = nil
	if err := restore(); err != nil {
		return err
	}
	// The listener must be retrying: the pending connection gets served.
	if _, err := unix.Write(cfd, []byte("ping")); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	got := make([]byte, 0, 4)
	buf := make([]byte, 4)
	for len(got) < 4 {
		n, err := unix.Read(cfd, buf[:4-len(got)])
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

// exhaustFDs lowers the soft RLIMIT_NOFILE to a little above the highest
// open descriptor and opens /dev/null until EMFILE. restore puts the old
// limit back.
func exhaustFDs() (fillers []int, restore func() error, err error) {
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		return nil, nil, fmt.Errorf("getrlimit: %w", err)
	}
	fds, err := testkit.OpenFDs()
	if err != nil {
		return nil, nil, err
	}
	highest := 0
	for fd := range fds {
		highest = max(highest, fd)
	}
	lim := old
	lim.Cur = uint64(highest + 16)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return nil, nil, fmt.Errorf("setrlimit: %w", err)
	}
	restore = func() error { return unix.Setrlimit(unix.RLIMIT_NOFILE, &old) }
	for {
		fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.EMFILE) {
			return fillers, restore, nil
		}
		if err != nil {
			_ = restore()
			return fillers, nil, fmt.Errorf("open /dev/null: %w", err)
		}
		fillers = append(fillers, fd)
	}
}
