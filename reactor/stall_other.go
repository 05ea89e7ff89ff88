//go:build usocket_portable || !linux || usocket_netstd

package reactor

// stallWatch exists only on the Linux backend, whose loops park in the Go
// runtime poller on their epoll fd (see stall_linux.go). The portable
// backend always blocks in the kernel's own wait.
type stallWatch struct{}

func (r *Reactor) startStallWatch() {}

func (r *Reactor) stopStallWatch() {}

// stallRescues is LoopStats.StallRescues: always 0 here.
func (p *poller) stallRescues() uint64 { return 0 }
