package bench

import (
	"math/bits"
	"time"
)

// Latency histogram: log-linear buckets over nanoseconds. Values below
// subBuckets get one bucket each; above that, every power of two is split
// into subBuckets equal parts, so a reported percentile is within ~6% of the
// true value. Recording never allocates.
const (
	subBits    = 4
	subBuckets = 1 << subBits
	maxExp     = 42 // 2^46 ns ≈ 19 h; larger values land in the last bucket
	numBuckets = (maxExp + 1) * subBuckets
)

// histogram counts latencies. The zero value is empty and ready to use.
type histogram struct {
	counts [numBuckets]uint64
	total  uint64
}

// bucketOf maps a duration in nanoseconds to its bucket index.
func bucketOf(ns uint64) int {
	if ns < subBuckets {
		return int(ns)
	}
	exp := bits.Len64(ns) - subBits - 1 // shift that leaves subBits+1 top bits
	idx := (exp+1)*subBuckets + int(ns>>uint(exp)) - subBuckets
	if idx >= numBuckets {
		return numBuckets - 1
	}
	return idx
}

// bucketMid returns a representative (middle) value of bucket idx.
func bucketMid(idx int) uint64 {
	if idx < subBuckets {
		return uint64(idx)
	}
	exp := idx/subBuckets - 1
	low := uint64(idx%subBuckets+subBuckets) << uint(exp)
	return low + (uint64(1)<<uint(exp))/2
}

// record adds one latency sample; negative durations count as zero.
func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.total++
}

// merge adds all samples of o to h.
func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
}

// quantile returns the latency at quantile q in [0, 1], or 0 when empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q*float64(h.total-1)) + 1
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(bucketMid(i))
		}
	}
	return time.Duration(bucketMid(numBuckets - 1))
}
