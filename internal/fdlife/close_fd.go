//go:build !windows && !usocket_netstd

package fdlife

import "github.com/usocket-go/usocket/internal/unix"

// closeSysfd closes the descriptor.
func closeSysfd(fd int) { _ = unix.Close(fd) }
