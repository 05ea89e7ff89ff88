package exampletest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usocket-go/usocket/reactor/reactortest"
)

// RunFunc is the shape of every example's run function: it returns the exit
// status, and stops when ctx ends.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Wait bounds every step a test waits for.
const Wait = 20 * time.Second

// Program is a started example.
type Program struct {
	Addr   string // from the "listening on" line
	cancel context.CancelFunc
	done   chan int
	stdout *Buffer
	stderr *Buffer
}

// Start runs run(args) in a goroutine and waits for its "listening on" line.
// The test fails if the program exits first or prints nothing in time. The
// program is stopped at cleanup if the test did not stop it.
func Start(t testing.TB, run RunFunc, args ...string) *Program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Program{cancel: cancel, done: make(chan int, 1), stdout: &Buffer{}, stderr: &Buffer{}}
	pr, pw := io.Pipe()
	addrc := make(chan string, 1)
	go func() {
		code := run(ctx, args, pw, p.stderr)
		_ = pw.Close()
		p.done <- code
	}()
	go scanListening(pr, p.stdout, addrc)
	select {
	case a, ok := <-addrc:
		if !ok {
			code := <-p.done
			t.Fatalf("program exited with %d before listening; stderr: %s", code, p.stderr)
		}
		p.Addr = a
	case <-time.After(Wait):
		cancel()
		t.Fatalf("no listening line within %v; stderr: %s", Wait, p.stderr)
	}
	t.Cleanup(func() {
		if p.cancel != nil {
			p.Stop(t)
		}
	})
	return p
}

// scanListening copies the program's stdout into out, sends the address of
// the first "listening on" line on addrc, and closes addrc at EOF.
func scanListening(r io.Reader, out *Buffer, addrc chan<- string) {
	sc := bufio.NewScanner(r)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		_, _ = out.Write([]byte(line + "\n"))
		if !sent && strings.Contains(line, "listening on ") {
			f := strings.Fields(line)
			addrc <- f[len(f)-1]
			sent = true
		}
	}
	_, _ = io.Copy(io.Discard, r)
	if !sent {
		close(addrc)
	}
}

// Stop cancels the program's context, as SIGINT does, and returns its exit
// status; it fails the test if the program does not end in time.
func (p *Program) Stop(t testing.TB) int {
	t.Helper()
	if p.cancel == nil {
		t.Fatal("program stopped twice")
	}
	p.cancel()
	p.cancel = nil
	select {
	case code := <-p.done:
		return code
	case <-time.After(Wait):
		t.Fatalf("program did not stop within %v; stderr: %s", Wait, p.stderr)
		return -1
	}
}

// Wait waits for the program to end on its own and returns its exit
// status; the test fails if it has not ended within Wait.
func (p *Program) Wait(t testing.TB) int {
	t.Helper()
	select {
	case code := <-p.done:
		if p.cancel != nil {
			p.cancel()
			p.cancel = nil
		}
		return code
	case <-time.After(Wait):
		t.Fatalf("program did not end within %v; stderr: %s", Wait, p.stderr)
		return -1
	}
}

// Stdout returns what the program printed so far.
func (p *Program) Stdout() string { return p.stdout.String() }

// Stderr returns what the program logged so far.
func (p *Program) Stderr() string { return p.stderr.String() }

// Run runs a program to completion with a bounded context and returns its
// exit status, stdout and stderr. stdin may be nil.
func Run(t testing.TB, run RunFunc, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	var out, errb Buffer
	code = run(ctx, args, &out, &errb)
	if ctx.Err() != nil {
		t.Fatalf("program did not finish within %v; stderr: %s", Wait, errb.String())
	}
	return code, out.String(), errb.String()
}

// Buffer is a bytes.Buffer safe for concurrent use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns the contents.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Main is the TestMain of the example programs' tests: goleak's check
// (goleak.VerifyTestMain), made once the shared reactor (started lazily by
// the usocket and udp facades) is stopped.
func Main(m *testing.M) { reactortest.VerifyTestMain(m) }
