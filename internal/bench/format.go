package bench

import (
	"fmt"
	"time"
)

// formatValue prints a headline value compactly for its unit.
func formatValue(v float64, unit string) string {
	if unit != UnitRoundTrips {
		return fmt.Sprintf("%.1f", v)
	}
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// formatLatency prints a latency with a unit suited to its size.
func formatLatency(d time.Duration) string {
	switch {
	case d < 10*time.Microsecond:
		return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// formatBytes prints a byte count in decimal megabytes or gigabytes.
func formatBytes(n int64) string {
	if n >= 1e9 {
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// summary is a one-line description of a result for progress output.
func summary(r Result) string {
	s := formatValue(r.Value, r.Unit) + " " + r.Unit
	switch r.Unit {
	case UnitRoundTrips:
		s += fmt.Sprintf(" p50 %s p99 %s", formatLatency(r.P50), formatLatency(r.P99))
	case UnitMiBGrowth:
		s += ", pushed " + formatBytes(r.Count)
	case UnitNsPerWait:
		s += fmt.Sprintf(" (poll every source %.0f ns)", r.Reference)
	}
	if r.Capped {
		s += " CAPPED"
	}
	if u := r.Server; u.Sampled {
		s += fmt.Sprintf(" | server cpu %.0f%% rss %.1f MiB", u.CPUPercent(), float64(u.RSSKiB)/1024)
	}
	if r.Losses > 0 {
		s += fmt.Sprintf(" losses %d", r.Losses)
	}
	if r.Mismatches > 0 {
		s += fmt.Sprintf(" MISMATCHES %d", r.Mismatches)
	}
	return s
}
