package usocket

import (
	"syscall"

	"github.com/usocket-go/usocket/internal/fdlife"
	"github.com/usocket-go/usocket/reactor"
)

// On Windows there are no raw socket fds to drive: every helper fails with
// syscall.EWINDOWS (errors.Is(err, errors.ErrUnsupported)) or reports
// nothing ready. The reactor does not start there either.

func watchFD(*fdlife.FD, *reactor.Reactor, reactor.FDHandler) (*reactor.Watcher, error) {
	return nil, syscall.EWINDOWS
}

func detachFD(sc interface {
	syscall.Conn
	Close() error
}) (int, error) {
	_ = sc.Close()
	return -1, syscall.EWINDOWS
}

func readFD(int, []byte) (int, error) { return 0, syscall.EWINDOWS }

func writeFD(int, []byte) (int, error) { return 0, syscall.EWINDOWS }

func peekReady(int) bool { return false }

func pollReady(int) bool { return false }
