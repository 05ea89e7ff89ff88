package handler

import (
	"sync"
	"time"

	"github.com/usocket-go/usocket/usocket"
)

// idleWatch resets a connection on which no data has moved for the idle
// timeout. It asks the kernel (TCP_INFO's last_data_recv and
// last_data_sent) rather than watching the handler's calls, so it needs
// nothing from the handler and costs one timer per connection.
type idleWatch struct {
	c    *usocket.Conn
	idle time.Duration

	mu      sync.Mutex
	t       *time.Timer
	stopped bool
	fired   bool // the watch reset the connection
}

// watchIdle starts watching c; idle 0 watches nothing.
func watchIdle(c *usocket.Conn, idle time.Duration) *idleWatch {
	w := &idleWatch{c: c, idle: idle}
	if idle > 0 {
		w.mu.Lock()
		w.t = time.AfterFunc(idle, w.check)
		w.mu.Unlock()
	}
	return w
}

// check runs when the timer fires: it resets the connection if it has been
// quiet long enough, and otherwise waits for the rest of the timeout.
func (w *idleWatch) check() {
	quiet, ok := quietFor(w.c)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || !ok { // !ok: closed already, the handler is ending
		return
	}
	if quiet >= w.idle {
		w.fired = true
		_ = w.c.Abort()
		return
	}
	w.t.Reset(w.idle - quiet)
}

// stop ends the watch; it reports whether the watch reset the connection.
func (w *idleWatch) stop() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.t != nil {
		w.t.Stop()
	}
	return w.fired
}
