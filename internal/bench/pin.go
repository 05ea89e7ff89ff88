package bench

import (
	"errors"
	"fmt"
)

// ErrPinUnsupported reports a pinned run on a platform without CPU affinity.
var ErrPinUnsupported = errors.New("bench: pinning to CPUs is not supported here")

// ErrTooFewCPUs reports a pinned run where this process may use fewer than
// two CPUs.
var ErrTooFewCPUs = errors.New("bench: pinning needs at least two CPUs")

// Pinning is where a pinned run puts the server and the load generator:
// each on a CPU of its own, so that neither waits for the other's CPU to
// wake up and the scheduler cannot move them around mid-run.
type Pinning struct {
	ServerCPU, LoadCPU int
}

// String describes the pinning for the report header.
func (p Pinning) String() string {
	return fmt.Sprintf("server on CPU %d, load generator on CPU %d", p.ServerCPU, p.LoadCPU)
}

// PlanPinning picks the first two CPUs this process may run on, or fails
// (before any run) when there are fewer or affinity is unsupported.
func PlanPinning() (Pinning, error) {
	cpus, err := allowedCPUs()
	if err != nil {
		return Pinning{}, err
	}
	if len(cpus) < 2 {
		return Pinning{}, fmt.Errorf("%w: allowed CPUs %v", ErrTooFewCPUs, cpus)
	}
	return Pinning{ServerCPU: cpus[0], LoadCPU: cpus[1]}, nil
}
