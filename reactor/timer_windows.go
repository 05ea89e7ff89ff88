package reactor

// timerClock does nothing on Windows, where no loop runs (poller_windows.go).
type timerClock struct{}

func (l *loop) openTimers() error { return nil }

func (timerClock) arm(int64) {}

func (timerClock) drain() {}

func (timerClock) closeClock() {}
