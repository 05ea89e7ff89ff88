//go:build unix

package testkit

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// CPUTime returns the CPU time (user plus system) this process has used
// so far, from getrusage(2), with a resolution of a microsecond.
func CPUTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU starts measuring the process's CPU time for a benchmark; the
// returned function, called after b.StopTimer, reports it per operation
// as the metric cpu-ns/op. It covers every goroutine of the process, the
// load generator's too, so compare it only between benchmarks that share
// one.
func ReportCPU(b *testing.B) func() {
	start := CPUTime()
	return func() {
		b.ReportMetric(float64(CPUTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
