//go:build linux && usocket_portable && !usocket_netstd

package reactor

import "golang.org/x/sys/unix"

// kernel is the portable poller's view of epoll, used in the manner of
// kqueue: events name a descriptor only (the poller routes them by
// generation), interest comes in the neutral bits, whose values are
// epoll's, and so do the events' bits.
type kernel struct {
	epfd   int
	events []unix.EpollEvent
	full   bool // the last wait filled events: grow it before the next
}

func openKernel() (kernel, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return kernel{}, wrapSyscall("epoll_create1", err)
	}
	return kernel{epfd: epfd, events: make([]unix.EpollEvent, 128)}, nil
}

func (k *kernel) close() { _ = unix.Close(k.epfd) }

// ctl changes fd's interest from old to want (0 = not registered).
func (k *kernel) ctl(fd int, old, want uint32) error {
	op := unix.EPOLL_CTL_MOD
	switch {
	case want == 0:
		op = unix.EPOLL_CTL_DEL
	case old == 0:
		op = unix.EPOLL_CTL_ADD
	}
	ev := unix.EpollEvent{Events: want, Fd: int32(fd)}
	if err := unix.EpollCtl(k.epfd, op, fd, &ev); err != nil {
		return wrapSyscall("epoll_ctl", err)
	}
	return nil
}

// remove drops fd from the set; safe from any goroutine.
func (k *kernel) remove(fd int) error {
	if err := unix.EpollCtl(k.epfd, unix.EPOLL_CTL_DEL, fd, nil); err != nil && err != unix.ENOENT {
		return wrapSyscall("epoll_ctl", err)
	}
	return nil
}

// wait fills the event buffer, blocking up to timeout nanoseconds (-1:
// until an event); it returns how many came (0 when interrupted).
func (k *kernel) wait(timeout int64) (int, error) {
	if k.full {
		k.events = make([]unix.EpollEvent, 2*len(k.events))
		k.full = false
	}
	ms := -1
	if timeout >= 0 {
		ms = int(min((timeout+999_999)/1_000_000, 1<<30)) // round up: never wake early
	}
	n, err := unix.EpollWait(k.epfd, k.events, ms)
	switch {
	case err == unix.EINTR:
		return 0, nil
	case err != nil:
		return 0, wrapSyscall("epoll_wait", err)
	}
	k.full = n == len(k.events) && n < 1024
	return n, nil
}

// event returns the i-th event of the last wait.
func (k *kernel) event(i int) (fd int, ev uint32) {
	e := &k.events[i]
	return int(e.Fd), e.Events
}
