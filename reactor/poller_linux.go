//go:build !usocket_portable && !usocket_netstd

package reactor

import (
	"errors"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/panjf2000/gnet/v2/pkg/queue"
	"golang.org/x/sys/unix"
)

// The event bits (events.go) are epoll's own: this fails to compile if
// they ever differ, since the backend passes them to the kernel as they are.
var _ = [1]struct{}{}[evRead^unix.EPOLLIN|evWrite^unix.EPOLLOUT|evErr^unix.EPOLLERR|
	evHup^unix.EPOLLHUP|evRdHup^unix.EPOLLRDHUP|evEdge^unix.EPOLLET]

// poller is a loop's epoll instance plus gnet's lock-free task queue.
//
// How a loop waits when it has nothing to do depends on what it just did.
// After it handed readiness to a Watcher (whose handler typically wakes a
// goroutine blocked in the facade's Read or Write), it parks in the Go
// runtime's own poller (the epoll fd is itself pollable), so the woken
// goroutine runs at once on the freed processor; blocking the thread in
// epoll_wait instead, as gnet's netpoll.Poller.Polling does, leaves that
// goroutine waiting until the scheduler's sysmon retakes the processor
// (about 27 µs per hand-off, measured on the udp facade). Otherwise — a
// loop serving callback handlers — it blocks in epoll_wait like gnet,
// which wakes faster than a park when the machine is idle (the Go poller
// may have to wake a second, sleeping thread: about 50 µs per message in
// a cross-process ping-pong on this project's 2-core VM), after one more
// look (wait). A loop that serves only lendable edge watchers lends itself
// instead of parking (lend.go, lend_linux.go).
type poller struct {
	lendState
	backstop *time.Timer  // lendBackstop, loop-owned but armed by borrowers too
	armed    atomic.Bool  // backstop is running
	lentAt   atomic.Int64 // monotonic time of the last lend
	canLend  func() bool  // the loop's lendable
	dispatch func(fd int, gen uint32, ev uint32)
	epfd     int
	efd      int                // eventfd that wakes the loop for queued tasks
	file     *os.File           // epfd, registered with the Go runtime poller
	raw      syscall.RawConn    // file's RawConn, to park until epfd is readable
	tryFn    func(uintptr) bool // p.try as RawConn.Read wants it, made once
	ownFn    func(uintptr) bool // p.ownStep likewise (lend_try_linux.go)
	own      ownWait            // a borrower's own system call, while one runs the loop
	events   []unix.EpollEvent
	n        int      // events ready after the last wait
	park     bool     // the last round served a Watcher: wait in the Go poller
	more     bool     // the last round left tasks queued: do not block
	hot      bool     // the last blocking wait or look found events: look again before blocking
	mode     IdleWait // how to wait when idle

	waits   atomic.Uint64 // blocking waits begun, for the stall watchdog
	state   atomic.Int32  // waitNone, waitBlock or waitPark, for the watchdog
	rescued atomic.Uint64 // parks the watchdog ended that had events ready
	kicked  atomic.Uint64 // the wait the watchdog last ended
	stall   *stallWatch   // the reactor's watchdog, rung by a park while it sleeps

	tasks  queue.AsyncTaskQueue
	ran    atomic.Uint64 // tasks run, for Stats
	wakeup atomic.Int32  // 1 while an eventfd write is pending
	efdBuf [8]byte

	// testHook, set by tests (on the loop), runs before each event of a
	// batch is dispatched, with the event's descriptor number.
	testHook func(fd int)
	// testOwnParks, set by tests before any PollTry, counts the times a
	// borrower with its own call lets its park go on (ownStep).
	testOwnParks *atomic.Uint64
	// testWakeFail, set by tests, makes eventfd writes fail.
	testWakeFail atomic.Bool
}

func openPoller(mode IdleWait) (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, wrapSyscall("epoll_create1", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		_ = unix.Close(epfd)
		return nil, wrapSyscall("eventfd", err)
	}
	if mode == IdleWaitLend { // its deprecated name
		mode = IdleWaitAuto
	}
	p := &poller{mode: mode, epfd: epfd, efd: efd, events: make([]unix.EpollEvent, 128), tasks: queue.NewLockFreeQueue()}
	if err := p.ctl(unix.EPOLL_CTL_ADD, efd, 0, readEvents); err != nil {
		p.closeFDs()
		return nil, err
	}
	if err := unix.SetNonblock(epfd, true); err != nil {
		p.closeFDs()
		return nil, wrapSyscall("setnonblock", err)
	}
	p.tryFn = func(uintptr) bool { return p.try() }
	p.ownFn = func(uintptr) bool { return p.ownStep() }
	p.initLend()
	p.backstop = time.NewTimer(lendBackstop)
	p.backstop.Stop()
	p.file = os.NewFile(uintptr(epfd), "epoll")
	if p.raw, err = p.file.SyscallConn(); err != nil {
		_ = p.file.Close()
		_ = unix.Close(efd)
		return nil, err
	}
	return p, nil
}

func (p *poller) closeFDs() {
	_ = unix.Close(p.epfd)
	_ = unix.Close(p.efd)
}

// close releases the epoll fd (through its os.File) and the eventfd.
func (p *poller) close() {
	_ = p.file.Close()
	_ = unix.Close(p.efd)
}

// ctl adds, changes or deletes fd's interest. The event's 64 bits of user
// data hold fd and the generation of its registration (see registration),
// which poll hands back with every event.
func (p *poller) ctl(op, fd int, gen uint32, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(fd), Pad: int32(gen)}
	if err := unix.EpollCtl(p.epfd, op, fd, &ev); err != nil {
		return wrapSyscall("epoll_ctl", err)
	}
	return nil
}

// setEvents changes fd's interest from old to want (0 = not registered).
func (p *poller) setEvents(fd int, gen uint32, old, want uint32) error {
	switch {
	case old == want:
		return nil
	case want == 0:
		return p.ctl(unix.EPOLL_CTL_DEL, fd, gen, 0)
	case old == 0:
		return p.ctl(unix.EPOLL_CTL_ADD, fd, gen, want)
	default:
		return p.ctl(unix.EPOLL_CTL_MOD, fd, gen, want)
	}
}

// unregister removes fd from the epoll set; safe from any goroutine.
func (p *poller) unregister(fd int) error { return p.ctl(unix.EPOLL_CTL_DEL, fd, 0, 0) }

// trigger queues fn(param) and wakes the loop if it may be parked.
func (p *poller) trigger(fn queue.Func, param any) error {
	t := queue.GetTask()
	t.Exec, t.Param = fn, param
	p.tasks.Enqueue(t)
	if p.role.Load() == roleFree { // lent and unwatched: take it back
		p.kickLoop()
	}
	return p.wake()
}

// wake makes the eventfd readable, unless a write is pending already (the
// loop resets it when it reads it, in runTasks). If the write fails, no
// write is pending: the flag is released so that the next task tries.
func (p *poller) wake() error {
	if p.wakeup.CompareAndSwap(0, 1) {
		for {
			err := p.writeEventfd()
			switch err {
			case nil:
				return nil
			case unix.EINTR:
				continue
			case unix.EAGAIN: // the counter is full: the loop is awake anyway
				return nil
			default:
				p.wakeup.Store(0)
				return wrapSyscall("write", err)
			}
		}
	}
	return nil
}

// writeEventfd adds one to the eventfd's counter.
func (p *poller) writeEventfd() error {
	if p.testWakeFail.Load() {
		return unix.EIO
	}
	_, err := unix.Write(p.efd, one[:])
	return err
}

var one = [8]byte{1}

// poll runs the loop until a task returns errStop: wait for events, hand
// each to dispatch with the generation it was registered with, run queued
// tasks when the eventfd fires.
func (p *poller) poll(dispatch func(fd int, gen uint32, ev uint32)) error {
	p.dispatch = dispatch
	for {
		if err := p.wait(); err != nil {
			return err
		}
		if err := p.round(); err != nil {
			return err
		}
	}
}

// round dispatches the events of the last wait and runs a round of tasks
// if the eventfd fired or tasks were left over; the loop goroutine or a
// borrower (lend.go) runs it.
func (p *poller) round() error {
	{
		dispatch := p.dispatch
		tasks, woken := p.more, false
		for i := 0; i < p.n; i++ {
			ev := &p.events[i]
			if int(ev.Fd) == p.efd {
				tasks, woken = true, true
				continue
			}
			if p.testHook != nil {
				p.testHook(int(ev.Fd))
			}
			dispatch(int(ev.Fd), uint32(ev.Pad), ev.Events)
		}
		if p.n == len(p.events) && len(p.events) < 1024 {
			p.events = make([]unix.EpollEvent, 2*len(p.events))
		}
		if tasks {
			if err := p.runTasks(woken); err != nil {
				return err
			}
		}
	}
	return nil
}

// wait fills p.events; see the type's comment for the two ways it waits.
// With tasks left over from the last round it only looks, without
// blocking, so that I/O is served between rounds of tasks.
func (p *poller) wait() error {
	p.n = 0
	if p.more {
		p.try()
		return nil
	}
	if p.park && p.mode == IdleWaitAuto && p.canLend != nil && p.canLend() {
		p.lendAndWait() // p.park stays set: park below once it is back
		switch {
		case p.stopped:
			return errStop
		case p.more:
			p.try()
			return nil
		}
	}
	parking := p.mode == IdleWaitPark || (p.park && p.mode == IdleWaitAuto)
	if !parking && p.hot {
		// As gnet's loop does: after a wait that found events, look once
		// more without blocking and yield the processor before blocking.
		// A loop that blocked at once sat in epoll_wait long enough for
		// the runtime's sysmon to retake its processor over and over: in
		// the example server at c1000 (2 loops, 2 CPUs) sysmon's sleeps
		// were twice gnet's and the process spent 13% more CPU per message
		// than with this look (which gnet also makes).
		p.hot = false
		if p.try() {
			p.hot = true
			return nil
		}
		runtime.Gosched()
	}
	p.waits.Add(1)
	defer p.state.Store(waitNone)
	if parking {
		p.park = false
		return p.parkEpoll(p.tryFn)
	}
	p.state.Store(waitBlock)
	for {
		n, err := unix.EpollWait(p.epfd, p.events, -1)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return wrapSyscall("epoll_wait", err)
		}
		p.n = n
		p.hot = true
		return nil
	}
}

// parkEpoll is the wait p.waits numbers, parked in the Go runtime poller
// (a borrower's wake-ups within it number new waits: ownStep): RawConn.Read
// calls step, which reports whether to stop, once the park is prepared and
// again at each wake-up. With p.tryFn it returns once epfd is readable, with
// p.events filled; with p.ownFn, see ownStep. It also returns once the stall
// watchdog ended the park (stall_linux.go), with p.events filled by a look.
// The loop goroutine and a borrower (lend_linux.go) park this way.
func (p *poller) parkEpoll(step func(uintptr) bool) error {
	p.state.Store(waitPark)
	if p.stall != nil {
		p.stall.ring()
	}
	// RawConn.Read tries first without blocking; if nothing is ready,
	// the goroutine parks until epfd becomes readable and tries again.
	err := p.raw.Read(step)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The stall watchdog ended a long park: lift the deadline and
		// look. Events ready now outlived the park.
		if err := p.file.SetReadDeadline(time.Time{}); err != nil {
			return err
		}
		// A deadline left from a kick that came as the loop was
		// waking ends the next park at once: that one is no rescue.
		if p.rescue() && p.kicked.Load() == p.waits.Load() {
			p.rescued.Add(1)
		}
		return nil
	}
	return err
}

// try is one non-blocking epoll_wait; it reports whether events came.
func (p *poller) try() bool {
	n, err := unix.EpollWait(p.epfd, p.events, 0)
	if err != nil || n <= 0 {
		p.n = 0
		return false
	}
	p.n = n
	return true
}

// runTasks runs one round of queued tasks. woken says the eventfd fired:
// it is then reset, before the queue is read, so a task queued from now on
// wakes the loop again. Tasks left over set p.more, so the next wait does
// not block and the next round runs them.
func (p *poller) runTasks(woken bool) error {
	if woken {
		_, _ = unix.Read(p.efd, p.efdBuf[:])
		p.wakeup.Store(0)
	}
	var err error
	p.more, err = runRound(p.tasks, &p.ran)
	return err
}

// setLender gives the poller the loop's lendable test.
func (p *poller) setLender(f func() bool) { p.canLend = f }
