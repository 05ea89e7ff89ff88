package handler

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// backoff paces retries after transient accept or receive errors, so that
// running out of descriptors does not spin: 5 ms, doubling up to 1 s. As the
// reactor's listener does, only the first error of a streak is reported
// (see first); the streak ends with the next success (reset).
type backoff struct{ d time.Duration }

// first reports whether no error has been seen since the last reset: the
// error at hand starts a streak and is worth reporting; later ones of the
// same streak are not, so a process out of descriptors logs once, not
// once per retry.
func (b *backoff) first() bool { return b.d == 0 }

// wait sleeps for the next pause, or until stopc is closed; it reports
// whether to go on.
func (b *backoff) wait(stopc <-chan struct{}) bool {
	const first, most = 5 * time.Millisecond, time.Second
	switch {
	case b.d == 0:
		b.d = first
	case b.d < most:
		b.d = min(2*b.d, most)
	}
	t := time.NewTimer(b.d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stopc:
		return false
	}
}

func (b *backoff) reset() { b.d = 0 }

// transient reports errors worth retrying: resource exhaustion, a
// connection aborted before it was accepted, a timeout.
func transient(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	for _, e := range [...]error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.EINTR, syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
