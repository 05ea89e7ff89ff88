package waitlist

// Source is what a socket implements to be waited on. Socket types in
// usocket and udp hold a [Signal] and implement Source over it.
//
// Ready reports whether a read-side operation would not block now: data is
// buffered, EOF or an error is pending, a connection waits to be accepted, a
// datagram is queued, or the socket is closed. A closed socket must stay
// Ready for ever, so that it never hangs a wait. Ready must be cheap, safe
// for concurrent use, and must not call back into this package's List
// methods (it runs with the List's lock held).
//
// WaitSignal returns the socket's Signal, the same non-nil pointer on every
// call. The socket must call Notify on it every time Ready may have turned
// true (after buffering data, on EOF, on error, on a pending connection or
// datagram, and on close), after the state change is visible to Ready.
// Spurious notifications are harmless.
type Source interface {
	Ready() bool
	WaitSignal() *Signal
}

// State is a bit set describing a source after a wait. It is the Go form of
// the value of usocket's SOCKET-STATE.
type State uint8

// StateRead means the source was read-ready (usocket's :READ).
const StateRead State = 1 << 0

// String returns "read" for [StateRead], "none" for the zero State, and a
// hexadecimal form for unknown bits.
func (s State) String() string {
	switch s {
	case 0:
		return "none"
	case StateRead:
		return "read"
	}
	const hex = "0123456789abcdef"
	return "State(0x" + string(hex[s>>4]) + string(hex[s&0xf]) + ")"
}

// Status pairs a source with its state, as returned by [List.WaitAll].
type Status struct {
	Source Source
	State  State
}

// StateOf returns the current state of src: [StateRead] if src.Ready(),
// else 0 (also for a nil src). It is the Go form of usocket's SOCKET-STATE,
// computed now instead of remembered from the last wait, so it is never
// stale.
func StateOf(src Source) State {
	if src == nil || !src.Ready() {
		return 0
	}
	return StateRead
}
