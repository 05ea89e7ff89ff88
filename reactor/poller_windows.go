package reactor

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/panjf2000/gnet/v2/pkg/queue"
)

// errNoPoller is why a reactor cannot start on Windows: it has no
// readiness loop there (Windows builds are for development only).
var errNoPoller = fmt.Errorf("reactor: %w on windows", errors.ErrUnsupported)

// poller is the Windows stand-in: openPoller always fails, so New returns
// errNoPoller and no loop ever runs; the methods exist only to build.
type poller struct {
	lendState
	park bool
	ran  atomic.Uint64
}

func openPoller(IdleWait) (*poller, error) { return nil, errNoPoller }

func (*poller) setEvents(int, uint32, uint32, uint32) error { return errNoPoller }

func (*poller) unregister(int) error { return errNoPoller }

func (*poller) trigger(queue.Func, any) error { return errNoPoller }

func (*poller) poll(func(fd int, gen uint32, ev uint32)) error { return errNoPoller }

func (*poller) close() {}

// setLender: this backend never lends its loop.
func (p *poller) setLender(func() bool) {}
