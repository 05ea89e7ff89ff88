package reactor

import (
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2/pkg/queue"
)

// eventPoller is what a loop needs from its poller. Each backend has one
// poller type that implements it, chosen at build time (no interface call
// on the hot path; the assertion below keeps the backends in step):
//
//   - poller_linux.go: epoll, an eventfd for wake-ups and a timerfd for
//     timers (timer_linux.go); the default on Linux and the fastest path.
//   - poller_portable.go: the readiness loop shared by the BSDs, macOS and,
//     with the usocket_portable build tag, Linux. It talks to the kernel
//     through a small kernel type: kqueue (kernel_kqueue.go) or epoll
//     (kernel_epoll.go); wake-ups go through a pipe and timers through the
//     wait's timeout (timer_portable.go).
//   - poller_net.go: the net backend, Windows' (and, with the
//     usocket_netstd build tag, any OS's, so that CI on Linux runs it): no
//     kernel readiness; a goroutine per socket posts what it read or
//     accepted as a task (netsource.go), writes go out from goroutines
//     (sock_net.go), and the loop runs tasks and timers. The socket side of
//     each backend is sock_fd.go or sock_net.go.
//
// Events are routed by registration, never by bare descriptor number: the
// loop gives each registration a generation (loop.add), setEvents carries
// it, and poll hands every event back with the generation of the
// registration it was queued for, so an event for a closed descriptor
// never reaches a new one that reused its number.
type eventPoller interface {
	// setEvents changes fd's interest from old to want (0 = none,
	// unregistered), for the registration of generation gen.
	setEvents(fd int, gen uint32, old, want uint32) error
	// unregister drops fd's interest at once; safe from any goroutine
	// (an edge watcher's Release, before its caller closes fd).
	unregister(fd int) error
	// trigger queues fn(param) and wakes the loop; safe from any goroutine.
	trigger(fn queue.Func, param any) error
	// poll runs the loop until a task returns errStop: it waits, hands each
	// event to dispatch and runs bounded rounds of queued tasks.
	poll(dispatch func(fd int, gen uint32, ev uint32)) error
	// close releases the poller's descriptors.
	close()
}

var _ eventPoller = (*poller)(nil)

// errStop is returned by a task to end polling.
var errStop = &stopSignal{}

type stopSignal struct{}

func (*stopSignal) Error() string { return "reactor: loop stopped" }

// maxTasksPerRound bounds the queued tasks a loop runs between two looks
// for I/O and due timers (gnet's bound too), so that goroutines queueing
// work in a tight loop cannot starve the loop's connections.
const maxTasksPerRound = 256

// roundBudget bounds the time a round of tasks takes: once it has run
// this long, the rest wait for the next round, after a look. gnet bounds
// a round by count alone, and so did we: a handler whose Execute chain did
// real work in each step (filling its queue) ran up to 256 steps back to
// back, and the loop's timers and other connections waited for seconds.
// Checking the clock after each task costs about 20 ns; a chain of small
// tasks still runs 256 to a round.
const roundBudget = int64(time.Millisecond)

// runRound runs one round of tasks from q: at most maxTasksPerRound, and
// none after the round has run for roundBudget (the first always runs).
// A task queued by one of them may run in the same round. more says tasks
// are left: the next wait must not block, and the next round runs them.
// err is errStop when a task stopped the loop.
func runRound(q queue.AsyncTaskQueue, ran *atomic.Uint64) (more bool, err error) {
	start := monotonic()
	for i := 0; i < maxTasksPerRound; i++ {
		if i > 0 && monotonic()-start >= roundBudget {
			break
		}
		t := q.Dequeue()
		if t == nil {
			return false, nil
		}
		err := t.Exec(t.Param)
		queue.PutTask(t)
		ran.Add(1)
		if err == errStop {
			return false, err
		}
	}
	return !q.IsEmpty(), nil
}
