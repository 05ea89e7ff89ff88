package usocket

import (
	"errors"
	"testing"
)

// TestListenReusePort: listeners that all set ReusePort share a port; one
// that does not is refused it.
func TestListenReusePort(t *testing.T) {
	lc := ListenConfig{ReusePort: true}
	a, err := lc.Listen(testCtx(t), "127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	port := int(a.AddrPort().Port())
	if _, err := Listen(testCtx(t), "127.0.0.1", port); !errors.Is(err, ErrAddressInUse) {
		t.Fatalf("listener without ReusePort: err = %v, want ErrAddressInUse", err)
	}
	b, err := lc.Listen(testCtx(t), "127.0.0.1", port)
	if err != nil {
		t.Fatalf("second ReusePort listener: %v", err)
	}
	defer b.Close()
	if b.AddrPort() != a.AddrPort() {
		t.Fatalf("second listener on %v, want %v", b.AddrPort(), a.AddrPort())
	}
}
