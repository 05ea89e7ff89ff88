package room

import "time"

// bucket is a token bucket: a client may send rate lines per second on
// average and burst lines at once.
type bucket struct {
	tokens float64
	last   time.Time
	primed bool
}

// take spends one token at now and returns 0, or, when none is left,
// returns how long until one is. rate < 0 means no limit; rate 0 and burst
// 0 mean the defaults.
func (b *bucket) take(now time.Time, rate float64, burst int) time.Duration {
	if rate < 0 {
		return 0
	}
	if rate == 0 {
		rate = DefaultLineRate
	}
	full := float64(orDefault(burst, DefaultLineBurst))
	if !b.primed {
		b.tokens, b.last, b.primed = full, now, true
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(full, b.tokens+elapsed.Seconds()*rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return max(time.Millisecond, time.Duration((1-b.tokens)/rate*float64(time.Second)))
}
