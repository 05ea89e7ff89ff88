//go:build !windows && !usocket_netstd

package udp

import "testing"

// osFD is the kernel descriptor behind a Conn's Sysfd: the same number on
// the fd backends.
func osFD(_ *testing.T, fd int) int { return fd }
