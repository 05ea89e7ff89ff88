//go:build !usocket_portable && !usocket_netstd

package reactor

import "golang.org/x/sys/unix"

// timerClock is the timer heap's timerfd, registered on the loop's epoll.
type timerClock struct{ fd int }

// openTimers makes the loop's timerfd and registers it.
func (l *loop) openTimers() error {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return wrapSyscall("timerfd_create", err)
	}
	l.timers.fd = fd
	if err := l.add(fd, timerPollable{l}, readEvents); err != nil {
		l.timers.close()
		return err
	}
	return nil
}

// timerPollable routes the timerfd's readiness to the timer heap. Its
// shutdown does nothing: the heap closes the timerfd in teardown.
type timerPollable struct{ l *loop }

// timerFD marks the timer descriptor's registration, which does not stop
// the loop from being lent (its timers do: loop.lendable).
func (timerPollable) timerFD() {}

func (t timerPollable) onEvent(uint32) { t.l.timers.fire(t.l.safeCall) }
func (t timerPollable) shutdown(error) {}

// arm sets the timerfd to fire at when (loop clock); 0 disarms it.
func (c *timerClock) arm(when int64) {
	var spec unix.ItimerSpec
	if when != 0 {
		d := when - monotonic()
		if d < 1000 {
			d = 1000 // a zero value would disarm
		}
		spec.Value = unix.NsecToTimespec(d)
	}
	_ = unix.TimerfdSettime(c.fd, 0, &spec, nil)
}

// drain consumes the timerfd's expiry count.
func (c *timerClock) drain() {
	var buf [8]byte
	_, _ = unix.Read(c.fd, buf[:])
}

func (c *timerClock) closeClock() { _ = unix.Close(c.fd) }
