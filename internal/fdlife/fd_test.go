//go:build unix

package fdlife

import (
	"testing"

	"golang.org/x/sys/unix"
)

type fakeWatcher struct{ released int }

func (w *fakeWatcher) Release() error { w.released++; return nil }

func pipeFD(t *testing.T) (*FD, *fakeWatcher, int) {
	t.Helper()
	p := make([]int, 2)
	if err := unix.Pipe(p); err != nil { // no pipe2 on macOS
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Close(p[1]) })
	var f FD
	f.Init(p[0])
	w := &fakeWatcher{}
	f.SetWatcher(w)
	return &f, w, p[0]
}

func isOpen(fd int) bool {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil
}

// TestCloseUnused: with no reference held, Close releases the watcher and
// closes the descriptor before it returns.
func TestCloseUnused(t *testing.T) {
	f, w, fd := pipeFD(t)
	f.Close()
	if w.released != 1 || !f.Closed() || isOpen(fd) {
		t.Fatalf("after Close: released %d, closed %v, fd open %v", w.released, f.Closed(), isOpen(fd))
	}
	if f.Acquire() {
		t.Fatal("Acquire after Close succeeded")
	}
}

// TestLastReleaseCloses: with a reference held, closing waits for it, and
// the last Release closes the descriptor.
func TestLastReleaseCloses(t *testing.T) {
	f, w, fd := pipeFD(t)
	if !f.Acquire() {
		t.Fatal("Acquire failed")
	}
	f.StartClose()
	if f.Closed() || !isOpen(fd) || w.released != 0 {
		t.Fatal("closed while a reference was held")
	}
	f.Release()
	if !f.Closed() || isOpen(fd) || w.released != 1 {
		t.Fatal("last Release did not close")
	}
}

// TestCloseUnderUserCode: Close called by user code running under a
// reference returns at once; the descriptor closes when that code ends.
func TestCloseUnderUserCode(t *testing.T) {
	f, _, fd := pipeFD(t)
	if !f.Acquire() {
		t.Fatal("Acquire failed")
	}
	f.RunUser(func(int) { f.Close() }) // would deadlock if Close waited
	if !isOpen(fd) {
		t.Fatal("descriptor closed under its user")
	}
	f.Release()
	if isOpen(fd) {
		t.Fatal("descriptor open after the user's reference went")
	}
}
