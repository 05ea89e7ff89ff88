//go:build windows || usocket_netstd

package udp

import (
	"testing"

	"github.com/usocket-go/usocket/internal/netfd"
)

// osFD is the kernel descriptor behind a net backend handle.
func osFD(t *testing.T, fd int) int {
	t.Helper()
	os := -1
	if err := netfd.Control(fd, func(s uintptr) { os = int(s) }); err != nil {
		t.Fatal(err)
	}
	return os
}
