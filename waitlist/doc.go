// Package waitlist waits for input on many sockets at once: it is the Go
// form of usocket's WAIT-FOR-INPUT and wait-lists.
//
//	l, err := waitlist.New(conn1, conn2, listener)
//	if err != nil { ... }
//	defer l.RemoveAll()
//	for {
//		ready, err := l.Wait(ctx, 5*time.Second)
//		if errors.Is(err, os.ErrDeadlineExceeded) { continue } // nothing within 5s
//		if err != nil { return err }
//		for _, s := range ready { ... } // Read, Accept or ReadFrom will not block
//	}
//
// # Sources and signals
//
// The package sits below usocket and udp, and defines the contract their
// sockets implement: [Source]. A socket holds a [Signal] and calls
// [Signal.Notify] from its event loop whenever it may have become
// read-ready (data buffered, EOF, error, pending connection, queued
// datagram, closed). Notify is O(1) per List holding the socket, lock-free
// and allocation-free, so it is safe on an event-loop goroutine.
//
// A [List] subscribes to a source's Signal on [List.Add] and unsubscribes on
// [List.Remove]. A notification puts the source on the List's queue once
// (deduplicated), so a wait looks only at notified and already-ready
// sources: O(ready), not O(all). Notifications may be spurious; every
// reported source is confirmed with Ready. A source that is ready before
// it is added is reported by the next wait, and a closed source is always
// ready, so it never hangs a wait.
//
// # Timeouts and cancellation
//
// Waits take a context and a timeout: 0 polls, [Forever] has no time limit,
// and a negative timeout is an error matching [ErrInvalidArgument]. When the
// timeout passes, the result is empty and the error is [ErrTimeout], which
// matches os.ErrDeadlineExceeded and is a net.Error with Timeout() true.
// When the context is done first, the error is ctx.Err().
//
// Add, Remove, RemoveAll and a poll (timeout 0) never block, so they may be
// called from a reactor callback; a wait with a timeout must not be, since
// the readiness it waits for is reported by a loop, maybe the one it
// would block (it would only end at its timeout or context).
//
// # Concurrency
//
// All functions and methods are safe for concurrent use. Waits on different
// Lists are independent, and a source may be in many Lists. On one List,
// sources added during a wait are considered by it, removed ones are not
// reported, and several concurrent waits may all report the same ready
// source.
//
// # Mapping from Common Lisp usocket
//
//	wait-for-input s :ready-only t    Wait(ctx, timeout, srcs...) or (*List).Wait
//	wait-for-input wl (no ready-only) (*List).WaitAll, returning []Status
//	:timeout nil                      Forever (a context can also bound the wait)
//	socket-state                      Status.State, or StateOf(src) now
//	make-wait-list                    New
//	add-waiter, remove-waiter         (*List).Add, (*List).Remove
//	remove-all-waiters                (*List).RemoveAll
//
// Differences: results are in insertion order (usocket: reverse), a
// timeout is an explicit error (usocket: a remaining time that may be
// wrong), a source may be in several Lists, and there is no stale
// per-socket wait-list state.
package waitlist
