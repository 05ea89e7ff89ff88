//go:build (darwin || dragonfly || freebsd || netbsd || openbsd) && !usocket_netstd

package reactor

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// kernel is the portable poller's view of kqueue: read and write interest
// are the EVFILT_READ and EVFILT_WRITE filters of the descriptor (EV_CLEAR
// for edge-triggered interest), and each event is translated back to the
// neutral bits. Everything above this file is shared with Linux's
// usocket_portable build, which CI runs.
type kernel struct {
	kq      int
	events  []unix.Kevent_t
	full    bool // the last wait filled events: grow it before the next
	changes [2]unix.Kevent_t
}

func openKernel() (kernel, error) {
	syscall.ForkLock.RLock()
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return kernel{}, wrapSyscall("kqueue", err)
	}
	return kernel{kq: kq, events: make([]unix.Kevent_t, 128)}, nil
}

func (k *kernel) close() { _ = unix.Close(k.kq) }

// ctl changes fd's interest from old to want (0 = not registered): it adds
// the filters want has and old had not (or had with the other triggering)
// and deletes those old had and want has not, in one kevent call.
func (k *kernel) ctl(fd int, old, want uint32) error {
	add := unix.EV_ADD | unix.EV_ENABLE
	if want&evEdge != 0 {
		add |= unix.EV_CLEAR
	}
	n := 0
	for _, f := range [...]struct {
		bit    uint32
		filter int
	}{{evRead, unix.EVFILT_READ}, {evWrite, unix.EVFILT_WRITE}} {
		switch {
		case want&f.bit != 0 && (old&f.bit == 0 || (old^want)&evEdge != 0):
			unix.SetKevent(&k.changes[n], fd, f.filter, add)
			n++
		case want&f.bit == 0 && old&f.bit != 0:
			unix.SetKevent(&k.changes[n], fd, f.filter, unix.EV_DELETE)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	for {
		_, err := unix.Kevent(k.kq, k.changes[:n], nil, nil)
		switch err {
		case nil:
			return nil
		case unix.EINTR:
			continue
		default:
			return wrapSyscall("kevent", err)
		}
	}
}

// remove deletes both filters of fd; safe from any goroutine (a filter
// that was not registered is not an error).
func (k *kernel) remove(fd int) error {
	for _, filter := range [...]int{unix.EVFILT_READ, unix.EVFILT_WRITE} {
		var ch [1]unix.Kevent_t
		unix.SetKevent(&ch[0], fd, filter, unix.EV_DELETE)
		if _, err := unix.Kevent(k.kq, ch[:], nil, nil); err != nil && err != unix.ENOENT {
			return wrapSyscall("kevent", err)
		}
	}
	return nil
}

// wait fills the event buffer, blocking up to timeout nanoseconds (-1:
// until an event); it returns how many came (0 when interrupted).
func (k *kernel) wait(timeout int64) (int, error) {
	if k.full {
		k.events = make([]unix.Kevent_t, 2*len(k.events))
		k.full = false
	}
	var ts *unix.Timespec
	var t unix.Timespec
	if timeout >= 0 {
		t = unix.NsecToTimespec(timeout)
		ts = &t
	}
	n, err := unix.Kevent(k.kq, nil, k.events, ts)
	switch {
	case err == unix.EINTR:
		return 0, nil
	case err != nil:
		return 0, wrapSyscall("kevent", err)
	}
	k.full = n == len(k.events) && n < 1024
	return n, nil
}

// event returns the i-th event of the last wait in the neutral bits. EOF
// on the read filter is the peer's FIN (evRdHup), with evErr when the
// socket has an error (a reset); EOF on the write filter just means writes
// will fail, which the write itself then reports.
func (k *kernel) event(i int) (fd int, ev uint32) {
	e := &k.events[i]
	switch e.Filter {
	case unix.EVFILT_READ:
		ev = evRead
		if e.Flags&unix.EV_EOF != 0 {
			ev |= evRdHup
		}
	case unix.EVFILT_WRITE:
		ev = evWrite
	}
	if e.Flags&unix.EV_ERROR != 0 || (e.Flags&unix.EV_EOF != 0 && e.Fflags != 0) {
		ev |= evErr
	}
	return int(e.Ident), ev
}
