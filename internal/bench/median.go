package bench

import (
	"slices"
	"time"
)

// Summary is the median over the repetitions of one cell and server.
type Summary struct {
	Value      float64 // median
	Min, Max   float64 // range over repetitions
	Unit       string
	P50, P99   time.Duration
	Count      int64   // median of Result.Count
	Reference  float64 // median of Result.Reference
	Mismatches int64   // total over repetitions
	Losses     int64   // total over repetitions
	Capped     bool    // any repetition stopped at the memory cap
	Reps       int     // successful repetitions

	// Server usage, medians over the repetitions that sampled it.
	CPUSampled bool
	CPUPercent float64 // % of one core over the window
	CPUPerOp   float64 // server CPU µs per round trip (ping-pong) or per MB (bulk); 0 for other units
	CPUOpUnit  string  // "µs/rt" or "µs/MB" with CPUPerOp
	CPUOpNoisy bool    // CPUPerOp's repetitions spread by more than 25%
	RSSKiB     int64   // VmRSS at the end of the window
}

// cpuOpUnit is the unit of server CPU per operation for a headline unit,
// with the operations per Result.Count; "" when there is none.
func cpuOpUnit(unit string) (string, float64) {
	switch unit {
	case UnitRoundTrips:
		return "µs/rt", 1
	case UnitMBps:
		return "µs/MB", 1e6 // Count is in bytes
	}
	return "", 0
}

// Summarize returns the medians of rs; ok is false when rs is empty.
func Summarize(rs []Result) (s Summary, ok bool) {
	if len(rs) == 0 {
		return Summary{}, false
	}
	vals := make([]float64, len(rs))
	refs := make([]float64, len(rs))
	counts := make([]int64, len(rs))
	p50s := make([]time.Duration, len(rs))
	p99s := make([]time.Duration, len(rs))
	var cpus, perOps []float64
	var rsss []int64
	for i, r := range rs {
		vals[i], refs[i], counts[i], p50s[i], p99s[i] = r.Value, r.Reference, r.Count, r.P50, r.P99
		s.Mismatches += r.Mismatches
		s.Losses += r.Losses
		s.Capped = s.Capped || r.Capped
		if r.Server.Sampled {
			cpus = append(cpus, r.Server.CPUPercent())
			rsss = append(rsss, r.Server.RSSKiB)
			if _, per := cpuOpUnit(r.Unit); per > 0 && r.Count > 0 {
				perOps = append(perOps, float64(r.Server.CPU.Microseconds())/(float64(r.Count)/per))
			}
		}
	}
	s.Unit, s.Reps = rs[0].Unit, len(rs)
	s.Value, s.Reference, s.Count = median(vals), median(refs), median(counts)
	s.P50, s.P99 = median(p50s), median(p99s)
	s.Min, s.Max = slices.Min(vals), slices.Max(vals)
	if len(cpus) > 0 {
		s.CPUSampled, s.CPUPercent, s.RSSKiB = true, median(cpus), median(rsss)
	}
	if len(perOps) > 0 {
		s.CPUPerOp = median(perOps)
		s.CPUOpUnit, _ = cpuOpUnit(s.Unit)
		s.CPUOpNoisy = spread(slices.Min(perOps), slices.Max(perOps), s.CPUPerOp)
	}
	return s, true
}

// noisyRange is the (max-min)/median spread above which a value is flagged.
const noisyRange = 0.25

// Noisy reports whether the repetitions spread by more than 25% of the median.
// Memory growth below 8 MiB is within the noise of a Go process and never
// flagged.
func (s Summary) Noisy() bool {
	if s.Unit == UnitMiBGrowth && s.Max < 8 {
		return false
	}
	return spread(s.Min, s.Max, s.Value)
}

// spread reports whether repetitions from lo to hi around median mid
// spread by more than noisyRange of it.
func spread(lo, hi, mid float64) bool {
	return mid > 0 && (hi-lo)/mid > noisyRange
}

// median returns the middle element, or the mean of the two middle elements.
func median[T ~int64 | ~float64](xs []T) T {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}
