//go:build unix

package fdlife

import "testing"

type fakeWatcher struct{ released int }

func (w *fakeWatcher) Release() error { w.released++; return nil }

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
