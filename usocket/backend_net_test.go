//go:build windows || usocket_netstd

package usocket

import (
	"errors"
	"testing"

	"github.com/usocket-go/usocket/internal/netfd"
)

// netUnsupported checks that err is the net backend's refusal of a
// feature that needs raw descriptors (matching errors.ErrUnsupported)
// and reports true: the test has nothing more to check on this backend.
func netUnsupported(t *testing.T, err error) bool {
	t.Helper()
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("got %v, want an error matching errors.ErrUnsupported on the net backend", err)
	}
	return true
}

// osFD is the kernel descriptor behind a net backend handle.
func osFD(t *testing.T, fd int) int {
	t.Helper()
	os := -1
	if err := netfd.Control(fd, func(s uintptr) { os = int(s) }); err != nil {
		t.Fatal(err)
	}
	return os
}
