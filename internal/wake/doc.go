// Package wake is the blocking facade's wake-up protocol (packages usocket
// and udp), written once: a goroutine that found a descriptor not ready
// parks until the event loop reports the next readiness edge, and no edge
// is ever lost between its failed system call and its parking.
//
// It follows the Go runtime's pollDesc (runtime/netpoll.go), generalised
// to any number of waiters. An Edge counts the loop's readiness reports for
// one direction. A caller reads the count (Edge.Seq) before its system
// call; when the call says "not ready" (EAGAIN) it parks with Edge.Wait,
// passing that count. Wait first announces that a goroutine waits, then
// re-checks the count: when an edge arrived since the count was read, it
// returns at once and the caller retries; otherwise the next Notify wakes
// it. Notify (the loop side) counts the edge before it looks for waiters,
// so one of the two always sees the other (both use sequentially
// consistent atomics). Every parked caller is woken by each edge: one edge
// may bring work for several callers (two connections on a listener, more
// bytes than one Read takes), and a woken caller with nothing to do simply
// parks again.
//
// Lock is the other half: a mutex whose waiters give up when the
// connection closes, a deadline passes or their own timeout ends, for
// calls that are serialised (Writes).
package wake
