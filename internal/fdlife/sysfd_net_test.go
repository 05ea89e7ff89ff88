//go:build unix && usocket_netstd

package fdlife

import (
	"net"
	"testing"

	"github.com/usocket-go/usocket/internal/netfd"
)

// pipeFD is an FD for a net backend handle (internal/netfd) on one end of
// a net.Pipe, with a fake watcher.
func pipeFD(t *testing.T) (*FD, *fakeWatcher, int) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { _ = b.Close() })
	h := netfd.Conn(a)
	var f FD
	f.Init(h)
	w := &fakeWatcher{}
	f.SetWatcher(w)
	return &f, w, h
}

// isOpen reports whether the handle is still open.
func isOpen(h int) bool {
	_, _, err := netfd.Addrs(h)
	return err == nil
}
