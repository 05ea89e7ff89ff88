//go:build !usocket_netstd

package usocket

import (
	"io"
	"sync/atomic"
	"testing"
	"time"
)

// On Linux, io.Copy(conn, file) takes the zero-copy path, although it
// reaches ReadFrom through os.File.WriteTo's wrapper, and so does an
// io.LimitedReader around a file.
func TestReadFromFileUsesSendfile(t *testing.T) {
	var used atomic.Int32
	hook := func() { used.Add(1) }
	testHookSendFile.Store(&hook)
	t.Cleanup(func() { testHookSendFile.Store(nil) })
	d, a := connPair(t)
	f, data := randomFile(t, 1<<20)
	got := drain(a)
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := io.Copy(d, f); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(d, io.LimitReader(f, 1000)); err != nil {
		t.Fatal(err)
	}
	_ = d.CloseWrite()
	if b := <-got; len(b) != len(data)+1000 {
		t.Fatalf("peer got %d bytes, want %d", len(b), len(data)+1000)
	}
	if n := used.Load(); n != 2 {
		t.Fatalf("zero-copy path taken %d times of 2", n)
	}
}
