package usocket

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// randomFile writes n random bytes to a temporary file, opened at offset 0.
func randomFile(t *testing.T, n int) (*os.File, []byte) {
	t.Helper()
	data := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(n)}).Read(data)
	p := filepath.Join(t.TempDir(), "payload")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, data
}

// drain reads everything the peer sends until EOF, in the background.
func drain(c *Conn) <-chan []byte {
	out := make(chan []byte, 1)
	go func() {
		_ = c.SetReadDeadline(time.Now().Add(testTimeout))
		b, _ := io.ReadAll(c)
		out <- b
	}()
	return out
}

// io.Copy from a file goes through ReadFrom (sendfile on Linux): every
// byte arrives, and the file's offset ends at its end.
func TestReadFromFile(t *testing.T) {
	d, a := connPair(t)
	f, data := randomFile(t, 8<<20+123)
	got := drain(a)
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	n, err := io.Copy(d, f)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("io.Copy = %d, %v; want %d", n, err, len(data))
	}
	_ = d.CloseWrite()
	if b := <-got; !bytes.Equal(b, data) {
		t.Fatalf("peer got %d bytes, want the file's %d in order", len(b), len(data))
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != int64(len(data)) {
		t.Fatalf("file offset %d after the copy, want %d", off, len(data))
	}
}

// An io.LimitedReader around a file sends only its N bytes, from the
// file's offset, and counts them off.
func TestReadFromLimitedFile(t *testing.T) {
	d, a := connPair(t)
	f, data := randomFile(t, 1<<20)
	if _, err := f.Seek(1000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got := drain(a)
	lr := &io.LimitedReader{R: f, N: 300000}
	n, err := d.ReadFrom(lr)
	if err != nil || n != 300000 || lr.N != 0 {
		t.Fatalf("ReadFrom = %d, %v (N left %d); want 300000", n, err, lr.N)
	}
	_ = d.CloseWrite()
	if b := <-got; !bytes.Equal(b, data[1000:301000]) {
		t.Fatalf("peer got %d bytes, want bytes 1000..301000 of the file", len(b))
	}
}

// Readers that are not regular files are copied through a buffer.
func TestReadFromOtherReaders(t *testing.T) {
	d, a := connPair(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	want := bytes.Repeat([]byte("pipe bytes "), 10000)
	go func() {
		_, _ = pw.Write(want)
		_ = pw.Close()
	}()
	got := drain(a)
	n, err := d.ReadFrom(io.MultiReader(pr, bytes.NewReader([]byte("!"))))
	if err != nil || n != int64(len(want)+1) {
		t.Fatalf("ReadFrom = %d, %v", n, err)
	}
	_ = d.CloseWrite()
	if b := <-got; !bytes.Equal(b, append(want, '!')) {
		t.Fatalf("peer got %d bytes, want %d", len(b), len(want)+1)
	}
}

// A peer that never reads: the write deadline ends the sendfile with a
// timeout and the count of what was sent; after Close, ErrClosed.
func TestReadFromFileDeadlineAndClose(t *testing.T) {
	d, _ := connPair(t)
	f, _ := randomFile(t, 32<<20)
	_ = d.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	n, err := d.ReadFrom(f)
	if !errors.Is(err, os.ErrDeadlineExceeded) || n <= 0 || n >= 32<<20 {
		t.Fatalf("ReadFrom to a peer that never reads = %d, %v; want part of it and a timeout", n, err)
	}
	_ = d.Close()
	if _, err := d.ReadFrom(f); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("ReadFrom after Close = %v, want net.ErrClosed", err)
	}
}
