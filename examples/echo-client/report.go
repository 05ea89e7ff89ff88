package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 < p <= 100) of sorted d.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// print writes the summary: counts, throughput and latency percentiles.
func (r result) print(w io.Writer, cfg config) {
	n := len(r.lat)
	secs := r.elapsed.Seconds()
	fmt.Fprintf(w, "%s %s: %d of %d echoes verified over %d connections in %v",
		cfg.proto, cfg.addr, n, cfg.n*cfg.conns, cfg.conns, r.elapsed.Round(time.Millisecond))
	if cfg.proto == "udp" {
		fmt.Fprintf(w, " (%d resends)", r.resends)
	}
	fmt.Fprintln(w)
	if n == 0 || secs == 0 {
		return
	}
	fmt.Fprintf(w, "throughput: %.0f msg/s, %.2f MB/s each way\n",
		float64(n)/secs, float64(n*cfg.size)/secs/1e6)
	sorted := slices.Clone(r.lat)
	slices.Sort(sorted)
	fmt.Fprintf(w, "latency: p50 %v  p90 %v  p99 %v  max %v\n",
		percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[n-1])
}
