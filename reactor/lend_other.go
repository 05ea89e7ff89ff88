//go:build !linux || usocket_portable || usocket_netstd

package reactor

import "sync/atomic"

// pollUntil never lends the loop on this backend: the caller waits.
func (p *poller) pollUntil(*atomic.Uint64, uint64, <-chan struct{}, <-chan struct{}, <-chan struct{}) bool {
	p.waiters.Add(1)
	return false
}

// waiting counts the caller; the loop is never lent on this backend.
func (p *poller) waiting() { p.waiters.Add(1) }

// pollTry never lends the loop on this backend.
func (p *poller) pollTry(int, Trier) bool { return false }
