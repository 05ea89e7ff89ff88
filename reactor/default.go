package reactor

import "sync"

var (
	defaultMu sync.Mutex
	defaultR  *Reactor
)

// Default returns the shared reactor, starting it (one loop per CPU) on
// first use. The blocking facade (packages usocket and udp) runs on it
// unless told otherwise.
func Default() (*Reactor, error) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultR == nil {
		r, err := New()
		if err != nil {
			return nil, err
		}
		defaultR = r
	}
	return defaultR, nil
}

// CloseDefault stops the shared reactor if it was started; the next call to
// Default starts a new one. Tests call it to end with no goroutine left.
func CloseDefault() error {
	defaultMu.Lock()
	r := defaultR
	defaultR = nil
	defaultMu.Unlock()
	if r == nil {
		return nil
	}
	return r.Close()
}
