package reactor

// Interest and readiness bits, the same on every backend. A loop asks for
// readEvents and writeEvents and learns what happened from the bits of an
// event; only the poller translates them to its kernel's terms. Their
// values are epoll's (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP,
// EPOLLET), so the default Linux backend passes them through unchanged
// (poller_linux.go checks this at compile time); the portable backend
// translates (kqueue filters and flags, or epoll again).
const (
	evRead  uint32 = 0x1     // readable: data, the peer's FIN, or an error
	evWrite uint32 = 0x4     // writable
	evErr   uint32 = 0x8     // an error is pending on the socket
	evHup   uint32 = 0x10    // hung up: both directions are done
	evRdHup uint32 = 0x2000  // the peer shut down its writing side
	evEdge  uint32 = 1 << 31 // interest: report each change once (edge-triggered)

	readEvents  = evRead
	writeEvents = evWrite
	errEvents   = evErr | evHup
	// edgeEvents is the fixed interest of an edge watcher (WatchEdge).
	edgeEvents = evRead | evWrite | evRdHup | evEdge
)
