package usocket

import "syscall"

// On Windows socket options and shutdown fail with syscall.EWINDOWS
// (errors.Is(err, errors.ErrUnsupported)): there are no raw socket fds.

func shutdown(int, int) error { return syscall.EWINDOWS }

type sockopt struct{}

var (
	optNoDelay   sockopt
	optKeepAlive sockopt
	optReuseAddr sockopt
	optReusePort sockopt
	optRcvBuf    sockopt
	optSndBuf    sockopt
)

func (sockopt) get(int) (int, error) { return 0, syscall.EWINDOWS }

func (sockopt) set(int, int) error { return syscall.EWINDOWS }
