package usocket

import (
	"testing"
	"time"
)

// cpuMeter reports the process's CPU time (user + system, both ends of
// the benchmark) per operation as cpu-ns/op: on a shared, noisy machine it
// is steadier than wall time, which mostly measures wake-up latency.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

// startCPU resets b's timer and starts counting CPU time.
func startCPU(b *testing.B) cpuMeter {
	b.ResetTimer()
	return cpuMeter{b: b, start: processCPU()}
}

// report adds the cpu-ns/op metric; call it after b.StopTimer.
func (m cpuMeter) report() {
	if m.b.N > 0 {
		m.b.ReportMetric(float64(processCPU()-m.start)/float64(m.b.N), "cpu-ns/op")
	}
}
