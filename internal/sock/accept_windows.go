package sock

import (
	"syscall"

	"github.com/usocket-go/usocket/internal/unix"
)

// Accept fails on Windows: raw socket fds are unsupported there.
func Accept(int) (int, unix.Sockaddr, error) { return -1, nil, syscall.EWINDOWS }
