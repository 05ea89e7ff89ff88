package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Errors from starting and stopping server processes.
var (
	ErrStartTimeout = errors.New("bench: server did not print its listening line in time")
	ErrExitedEarly  = errors.New("bench: server exited before listening")
	ErrKilled       = errors.New("bench: server ignored SIGTERM and was killed")
)

// Process is a running echo server started by StartServer.
type Process struct {
	Addr   string // address from the server's listening line
	cmd    *exec.Cmd
	stderr *tailWriter
	done   chan struct{} // closed once the process has been waited for
	err    error         // cmd.Wait result, valid after done
}

// StartServer starts bin with args and waits, at most timeout, for the first
// stdout line containing "listening on". If the line does not come, or the
// process exits first, the process is killed and the error says why,
// including the tail of its stderr.
func StartServer(ctx context.Context, bin string, args []string, timeout time.Duration) (*Process, error) {
	watch := newLineWatcher()
	p := &Process{
		cmd:    exec.Command(bin, args...),
		stderr: &tailWriter{max: 2048},
		done:   make(chan struct{}),
	}
	p.cmd.Stdout, p.cmd.Stderr = watch, p.stderr
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var err error
	select {
	case got := <-watch.found:
		if got.err == nil {
			p.Addr = got.addr
			return p, nil
		}
		err = got.err
	case <-p.done:
		err = ErrExitedEarly
		if p.err != nil {
			err = fmt.Errorf("%w: %w", ErrExitedEarly, p.err)
		}
	case <-timer.C:
		err = fmt.Errorf("%w (%v)", ErrStartTimeout, timeout)
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.kill()
	return nil, fmt.Errorf("%s: %w%s", filepath.Base(bin), err, p.stderrTail())
}

// PID returns the server's process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Stop sends SIGTERM and waits up to timeout for the process to exit; if it
// does not, it is killed and the error wraps ErrKilled. A non-zero exit status
// is returned as the *exec.ExitError.
func (p *Process) Stop(timeout time.Duration) error {
	select {
	case <-p.done:
		return p.exitErr()
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.kill()
		return fmt.Errorf("signal server: %w", err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.exitErr()
	case <-timer.C:
		p.kill()
		return fmt.Errorf("%w after %v%s", ErrKilled, timeout, p.stderrTail())
	}
}

// kill sends SIGKILL and waits (bounded) for the process to be reaped.
func (p *Process) kill() {
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

func (p *Process) exitErr() error {
	if p.err != nil {
		return fmt.Errorf("server exit: %w%s", p.err, p.stderrTail())
	}
	return nil
}

func (p *Process) stderrTail() string {
	if s := strings.TrimSpace(p.stderr.String()); s != "" {
		return "; stderr: " + s
	}
	return ""
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// exitCode returns the exit status carried by err, or -1 when err holds no
// *exec.ExitError.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}
