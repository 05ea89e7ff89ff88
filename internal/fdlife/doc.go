// Package fdlife is the lifetime of a descriptor used directly by user
// goroutines in the blocking facade (packages usocket and udp), written
// once: who may use it, who closes it, and when.
//
// It follows Go's internal/poll without a lock across any system call.
// Each use takes a reference (FD.Acquire) and drops it after the call
// (FD.Release); closing (FD.StartClose) refuses new references
// (internal/fdref). Whoever ends the last use once closing has begun —
// the closer itself when no call is in flight, else the last call out —
// unregisters the event loop's watcher synchronously
// (reactor.Watcher.Release) and closes the descriptor from its own
// goroutine. No event loop round trip is needed, so Close with no call in
// flight has closed the socket when it returns, Close may run on an event
// loop, and the number cannot be reused while anyone might still use it.
package fdlife
