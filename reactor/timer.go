package reactor

import (
	"container/heap"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// Timer is a one-shot timer that fires on an event loop. It costs one heap
// entry on its loop and no goroutine.
type Timer struct {
	when  int64 // monotonic nanoseconds (loop clock)
	f     func()
	index int // position in the loop's heap; -1 when not queued
	loop  *loop
	conn  *Conn // the connection whose AfterFunc made it, if any
	cidx  int   // position in conn.timers while queued

	// For timers made by AfterFunc (user): Stop and Reset from any
	// goroutine decide, through state, whether the loop runs f; see
	// timer_user.go. The loop's own timers leave them zero.
	user  bool
	state atomic.Int32 // timerIdle, timerPending or timerResetting
	next  atomic.Int64 // when, as Reset asked for it
}

// detach drops a timer that left the heap from its connection's list.
func (t *Timer) detach() {
	c := t.conn
	if c == nil || t.cidx < 0 {
		return
	}
	last := len(c.timers) - 1
	c.timers[t.cidx] = c.timers[last]
	c.timers[t.cidx].cidx = t.cidx
	c.timers[last] = nil
	c.timers = c.timers[:last]
	t.cidx = -1
}

// timerHeap is a loop-owned min-heap of timers, armed on a timerfd.
type timerHeap struct {
	fd    int // timerfd
	items timerItems
	armed int64 // when the timerfd is set to fire; 0 = disarmed
}

type timerItems []*Timer

func (h timerItems) Len() int           { return len(h) }
func (h timerItems) Less(i, j int) bool { return h[i].when < h[j].when }
func (h timerItems) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerItems) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerItems) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}

var clockBase = time.Now()

// monotonic returns nanoseconds since clockBase on the monotonic clock.
func monotonic() int64 { return int64(time.Since(clockBase)) }

func (h *timerHeap) open() error {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return wrapSyscall("timerfd_create", err)
	}
	h.fd = fd
	return nil
}

func (h *timerHeap) add(t *Timer) {
	if t.index >= 0 {
		heap.Fix(&h.items, t.index)
	} else {
		heap.Push(&h.items, t)
	}
	h.rearm()
}

func (h *timerHeap) remove(t *Timer) {
	if t == nil || t.index < 0 {
		return
	}
	heap.Remove(&h.items, t.index)
	t.detach()
	h.rearm()
}

// rearm points the timerfd at the earliest timer.
func (h *timerHeap) rearm() {
	var when int64
	if len(h.items) > 0 {
		when = h.items[0].when
	}
	if when == h.armed {
		return
	}
	h.armed = when
	var spec unix.ItimerSpec
	if when != 0 {
		d := when - monotonic()
		if d < 1000 {
			d = 1000 // a zero value would disarm
		}
		spec.Value = unix.NsecToTimespec(d)
	}
	_ = unix.TimerfdSettime(h.fd, 0, &spec, nil)
}

// fire runs every due timer. Called on the loop when the timerfd is readable.
func (h *timerHeap) fire(run func(func())) {
	var buf [8]byte
	_, _ = unix.Read(h.fd, buf[:])
	h.armed = 0
	now := monotonic()
	for len(h.items) > 0 && h.items[0].when <= now {
		t := heap.Pop(&h.items).(*Timer)
		t.detach()
		if t.claim() {
			run(t.f)
		}
	}
	h.rearm()
}

func (h *timerHeap) close() {
	h.items = nil
	_ = unix.Close(h.fd)
}
