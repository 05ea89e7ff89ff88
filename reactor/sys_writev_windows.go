package reactor

import "github.com/usocket-go/usocket/internal/unix"

// writev fails on Windows, where no loop runs (poller_windows.go).
func writev(fd int, iov [][]byte) (int, error) { return unix.Write(fd, iov[0]) }
