//go:build ((linux && usocket_portable) || darwin || dragonfly || freebsd || netbsd || openbsd) && !usocket_netstd

package reactor

import (
	"sync/atomic"
	"syscall"

	"github.com/panjf2000/gnet/v2/pkg/queue"
	"golang.org/x/sys/unix"
)

// poller is the portable readiness loop: the BSDs' and macOS's, and Linux's
// with the usocket_portable build tag, so that CI on Linux runs every line
// of it except the few that speak kqueue (kernel_kqueue.go). It drives a
// kernel (kqueue or epoll) through the neutral event bits, wakes through a
// pipe and times through the wait's timeout.
//
// The kernel reports only a descriptor number (a kqueue event's user data
// cannot safely hold a generation on every BSD), so the poller keeps, per
// descriptor, the generation it registered and the batch it registered it
// in. An event goes to the registration that was current when its batch
// was fetched, tagged with that generation; an event for a descriptor
// registered anew during the current batch (its number reused after a
// close) belongs to the old registration and is dropped.
//
// Every IdleWait mode blocks in the kernel wait here (gnet's way); parking
// in the Go runtime poller is the Linux backend's alone.
type poller struct {
	lendState
	k      kernel
	wakeR  int // wake pipe: trigger writes wakeW, the loop polls wakeR
	wakeW  int
	regs   []kernelReg // by descriptor; loop-owned
	batch  uint64      // number of the batch being dispatched
	n      int         // events in the current batch
	more   bool        // the last round left tasks queued: do not block
	park   bool        // set by watchers, as on Linux; unused: waits block
	timers *timerHeap  // the loop's timers: the wait ends when one is due
	fire   func()      // runs due timers (the loop's timers.fire)

	tasks  queue.AsyncTaskQueue
	ran    atomic.Uint64 // tasks run, for Stats
	wakeup atomic.Int32  // 1 while a wake-up byte is pending
	buf    [64]byte

	// testHook, set by tests (on the loop), runs before each event of a
	// batch is dispatched, with the event's descriptor number.
	testHook func(fd int)
}

// kernelReg is the poller's record of a descriptor's current registration.
type kernelReg struct {
	gen   uint32 // the loop's generation for it
	batch uint64 // the batch during which it was added
}

func openPoller(IdleWait) (*poller, error) {
	k, err := openKernel()
	if err != nil {
		return nil, err
	}
	p := &poller{k: k, tasks: queue.NewLockFreeQueue()}
	if p.wakeR, p.wakeW, err = wakePipe(); err != nil {
		k.close()
		return nil, err
	}
	if err := k.ctl(p.wakeR, 0, evRead); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// close releases the kernel poller and the wake pipe.
func (p *poller) close() {
	p.k.close()
	_ = unix.Close(p.wakeR)
	_ = unix.Close(p.wakeW)
}

// setEvents changes fd's interest from old to want (0 = not registered).
// Adding fd records gen and the current batch (see the type's comment).
func (p *poller) setEvents(fd int, gen uint32, old, want uint32) error {
	if old == want {
		return nil
	}
	if old == 0 {
		if fd >= len(p.regs) {
			grown := make([]kernelReg, max(2*len(p.regs)+64, fd+64))
			copy(grown, p.regs)
			p.regs = grown
		}
		p.regs[fd] = kernelReg{gen: gen, batch: p.batch}
	}
	return p.k.ctl(fd, old, want)
}

// unregister removes every interest in fd; safe from any goroutine.
func (p *poller) unregister(fd int) error { return p.k.remove(fd) }

// trigger queues fn(param) and wakes the loop if it may be blocked.
func (p *poller) trigger(fn queue.Func, param any) error {
	t := queue.GetTask()
	t.Exec, t.Param = fn, param
	p.tasks.Enqueue(t)
	if !p.wakeup.CompareAndSwap(0, 1) {
		return nil
	}
	for {
		_, err := unix.Write(p.wakeW, wakeByte[:])
		switch err {
		case nil, unix.EAGAIN: // EAGAIN: the pipe is full, the loop awake
			return nil
		case unix.EINTR:
			continue
		default:
			p.wakeup.Store(0) // nothing was written: the next task tries
			return wrapSyscall("write", err)
		}
	}
}

// poll runs the loop until a task returns errStop: wait, dispatch each
// event under its registration's generation, run due timers, then a
// bounded round of tasks.
func (p *poller) poll(dispatch func(fd int, gen uint32, ev uint32)) error {
	for {
		if err := p.wait(); err != nil {
			return err
		}
		tasks, woken := p.more, false
		for i := 0; i < p.n; i++ {
			fd, ev := p.k.event(i)
			if fd == p.wakeR {
				tasks, woken = true, true
				continue
			}
			if p.testHook != nil {
				p.testHook(fd)
			}
			if fd < len(p.regs) && p.regs[fd].batch != p.batch {
				dispatch(fd, p.regs[fd].gen, ev)
			}
		}
		if t := p.timers; t != nil && t.armed != 0 && t.armed <= monotonic() {
			p.fire()
		}
		if tasks {
			if err := p.runTasks(woken); err != nil {
				return err
			}
		}
	}
}

// wait fetches the next batch: it does not block with tasks left over,
// and blocks at most until the first timer is due.
func (p *poller) wait() error {
	timeout := int64(-1)
	if p.more {
		timeout = 0
	} else if t := p.timers; t != nil && t.armed != 0 {
		timeout = max(t.armed-monotonic(), 0)
	}
	p.batch++
	n, err := p.k.wait(timeout)
	p.n = n
	return err
}

// runTasks runs one round of queued tasks. woken says the wake pipe fired:
// it is drained, and the pending flag cleared, before the queue is read,
// so a task queued from now on wakes the loop again.
func (p *poller) runTasks(woken bool) error {
	if woken {
		for {
			n, _ := unix.Read(p.wakeR, p.buf[:])
			if n < len(p.buf) {
				break
			}
		}
		p.wakeup.Store(0)
	}
	var err error
	p.more, err = runRound(p.tasks, &p.ran)
	return err
}

// wakeByte is what trigger writes to the wake pipe (read-only).
var wakeByte = [1]byte{1}

// wakePipe makes the non-blocking, close-on-exec wake pipe (pipe2 is not
// on every BSD, so under ForkLock as the standard library does).
func wakePipe() (r, w int, err error) {
	var fds [2]int
	syscall.ForkLock.RLock()
	err = unix.Pipe(fds[:])
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, -1, wrapSyscall("pipe", err)
	}
	for _, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			_ = unix.Close(fds[0])
			_ = unix.Close(fds[1])
			return -1, -1, wrapSyscall("setnonblock", err)
		}
	}
	return fds[0], fds[1], nil
}

// setLender: this backend never lends its loop.
func (p *poller) setLender(func() bool) {}
