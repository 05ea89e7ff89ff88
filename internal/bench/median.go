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
	Mismatches int64 // total over repetitions
	Losses     int64 // total over repetitions
	Reps       int   // successful repetitions
}

// Summarize returns the medians of rs; ok is false when rs is empty.
func Summarize(rs []Result) (s Summary, ok bool) {
	if len(rs) == 0 {
		return Summary{}, false
	}
	vals := make([]float64, len(rs))
	p50s := make([]time.Duration, len(rs))
	p99s := make([]time.Duration, len(rs))
	for i, r := range rs {
		vals[i], p50s[i], p99s[i] = r.Value, r.P50, r.P99
		s.Mismatches += r.Mismatches
		s.Losses += r.Losses
	}
	s.Unit, s.Reps = rs[0].Unit, len(rs)
	s.Value, s.P50, s.P99 = median(vals), median(p50s), median(p99s)
	s.Min, s.Max = slices.Min(vals), slices.Max(vals)
	return s, true
}

// noisyRange is the (max-min)/median spread above which a value is flagged.
const noisyRange = 0.25

// Noisy reports whether the repetitions spread by more than 25% of the median.
func (s Summary) Noisy() bool {
	return s.Value > 0 && (s.Max-s.Min)/s.Value > noisyRange
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
