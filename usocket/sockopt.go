package usocket

import "github.com/usocket-go/usocket/internal/unix"

// sockopt is one boolean or integer socket option. Its get and set are
// the backend's: the descriptor's own calls (conn_sockopt_unix.go), or
// through the socket's handle on the net backend (fd_net.go; on Windows
// the calls fail with syscall.EWINDOWS, which matches
// errors.ErrUnsupported).
type sockopt struct{ level, name int }

var (
	optNoDelay   = sockopt{unix.IPPROTO_TCP, unix.TCP_NODELAY}
	optKeepAlive = sockopt{unix.SOL_SOCKET, unix.SO_KEEPALIVE}
	optReuseAddr = sockopt{unix.SOL_SOCKET, unix.SO_REUSEADDR}
	optReusePort = sockopt{unix.SOL_SOCKET, unix.SO_REUSEPORT}
	optRcvBuf    = sockopt{unix.SOL_SOCKET, unix.SO_RCVBUF}
	optSndBuf    = sockopt{unix.SOL_SOCKET, unix.SO_SNDBUF}
)
