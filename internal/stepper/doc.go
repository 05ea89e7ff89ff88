// Package stepper runs a blocking call (a net.Conn's Read, a listener's
// Accept, a UDP socket's ReadFrom) one step at a time on a goroutine of
// its own, for the net backends that stand in for a kernel poller
// (internal/netfd and the reactor's netSource). The goroutine runs a step
// only when it is kicked, so at most one result waits for its consumer
// and a socket nobody reads is not read at all; it ends after the last
// step or once the stepper is stopped.
package stepper
