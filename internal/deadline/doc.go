// Package deadline implements the timers behind the blocking facade's
// deadlines and per-call timeouts (packages usocket and udp).
//
// A Deadline is SetDeadline's, SetReadDeadline's or SetWriteDeadline's
// settable point in time, whose passing wakes the calls that wait on it,
// including calls that were already blocked when it was set or moved.
// Moving it moves its one timer: a Set per call allocates nothing.
//
// A Clock times the per-call timeouts of one direction (SetReadTimeout:
// each Read that blocks longer fails). Its calls share one timer, moved
// only to fire earlier, so a call costs no timer operation; a call woken
// by the timer before its own due time waits again.
//
// Callers build their own timeout errors.
package deadline
