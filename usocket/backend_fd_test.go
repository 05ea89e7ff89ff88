//go:build !windows && !usocket_netstd

package usocket

import "testing"

// netUnsupported reports whether err is the net backend's refusal of a
// feature that needs raw descriptors. On the fd backends every such
// feature works, so it is false and the test goes on to check err.
func netUnsupported(*testing.T, error) bool { return false }

// osFD is the kernel descriptor behind a Conn's or Listener's Sysfd: the
// same number on the fd backends.
func osFD(_ *testing.T, fd int) int { return fd }
