package reactor

import "runtime"

// The registration states of an edge watcher (Watcher.reg).
const (
	regPending  int32 = iota // the register task has not run
	regAdding                // the loop is registering fd right now
	regAdded                 // registered (or failed: the loop is done with fd)
	regReleased              // Release: the loop never touches fd again
)

// Release unregisters an edge watcher synchronously, for a caller about to
// close its descriptor at once (a blocking facade's Close): when it
// returns, the descriptor is out of the epoll set (or never entered it) and
// the loop will not name its number again, so the caller may close it and
// the kernel may reuse the number. OnClose follows on the loop, as after
// Close. Safe from any goroutine, including the loop's; only the first
// Release or Close counts. For a watcher made by Watch it is Close.
func (w *Watcher) Release() error {
	if !w.edge {
		return w.Close()
	}
	for {
		switch s := w.reg.Load(); s {
		case regReleased:
			return ErrClosed
		case regAdding: // a task in progress on the loop: it ends shortly
			runtime.Gosched()
			continue
		default:
			if !w.reg.CompareAndSwap(s, regReleased) {
				continue
			}
			if s == regAdded {
				// The caller still owns fd, so this names the right file;
				// the loop's own unregistering is skipped (closeNow).
				_ = w.loop.poller.unregister(w.fd)
			}
			if w.closed.Swap(true) {
				return nil // closing already (Close or the reactor stopping)
			}
			_ = w.loop.run(closeWatchTask, w) // when stopping, teardown does it
			return nil
		}
	}
}

// clearSlotOf empties fd's slot in the loop's table if p still holds it: a
// released edge watcher's number may have been registered anew since.
// Runs on the loop.
func (l *loop) clearSlotOf(fd int, p pollable) {
	if fd < len(l.fds) && l.fds[fd].p == p {
		l.countReg(p, -1)
		l.fds[fd] = registration{}
	}
}
