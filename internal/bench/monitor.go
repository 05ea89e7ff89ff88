package bench

import (
	"time"
)

// ServerUsage is what the server process used over a measurement window.
type ServerUsage struct {
	Sampled bool          // false when the window was never sampled
	CPU     time.Duration // utime+stime consumed inside the window
	Window  time.Duration // length of the sampled window
	RSSKiB  int64         // VmRSS at the end of the window
}

// CPUPercent is the server's CPU use as a percentage of one core.
func (u ServerUsage) CPUPercent() float64 {
	if !u.Sampled || u.Window <= 0 {
		return 0
	}
	return 100 * u.CPU.Seconds() / u.Window.Seconds()
}

// monitor samples a server's CPU time at both edges of a load's measurement
// window and its RSS at the end. Use: set Load.OnWindow to m.window, run the
// load, then call m.finish exactly once.
type monitor struct {
	pid     int
	stop    chan struct{}
	done    chan struct{}
	started bool
	usage   ServerUsage
}

func newMonitor(pid int) *monitor {
	return &monitor{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
}

// window starts the sampler; only the first call has an effect. It runs on
// the load's goroutine before any worker starts, so no locking is needed
// against finish, which runs after the load returned.
func (m *monitor) window(start, end time.Time) {
	if m.started {
		return
	}
	m.started = true
	go m.sample(start, end)
}

func (m *monitor) sample(start, end time.Time) {
	defer close(m.done)
	if !m.sleepUntil(start) {
		return
	}
	cpu0, err := ReadCPUTime(m.pid)
	if err != nil || !m.sleepUntil(end) {
		return
	}
	t1 := time.Now()
	cpu1, err1 := ReadCPUTime(m.pid)
	rss, err2 := ReadRSS(m.pid)
	if err1 != nil || err2 != nil {
		return
	}
	m.usage = ServerUsage{Sampled: true, CPU: cpu1 - cpu0, Window: t1.Sub(start), RSSKiB: rss}
}

// sleepUntil waits for t; it reports false when finish came first, unless t
// has passed by then anyway.
func (m *monitor) sleepUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-m.stop:
		return !time.Now().Before(t)
	}
}

// finish ends the sampler (at once if the load ended before its window did)
// and returns what it measured.
func (m *monitor) finish() ServerUsage {
	close(m.stop)
	if !m.started {
		return ServerUsage{}
	}
	<-m.done
	return m.usage
}
