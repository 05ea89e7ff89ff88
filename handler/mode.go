package handler

import "fmt"

// Mode says how a server runs its handler: usocket's :multi-threading.
type Mode int

const (
	// Sequential serves one client (or one datagram) at a time, in the
	// goroutine that accepts (or receives): usocket's default,
	// single-threaded socket-server. A stream server accepts the next
	// connection only when the handler has returned, so later clients wait
	// in the kernel's listen backlog.
	Sequential Mode = iota
	// PerConnection runs each client's handler in its own goroutine:
	// usocket's :multi-threading t. For a datagram server it means one
	// goroutine per request datagram, at most MaxInFlight at once; each
	// starts by waking an idle processor, which on a machine with few CPUs
	// costs more than a short handler (the example echo server, one client
	// on 2 CPUs: about 3× Sequential's CPU per datagram, see BENCHMARKS.md).
	// Use it for handlers that block or run long.
	PerConnection
)

// String returns the mode's name.
func (m Mode) String() string {
	switch m {
	case Sequential:
		return "sequential"
	case PerConnection:
		return "per-connection"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

func (m Mode) check() error {
	if m != Sequential && m != PerConnection {
		return &ConfigError{Field: "Mode", Value: m, Why: "want Sequential or PerConnection"}
	}
	return nil
}
