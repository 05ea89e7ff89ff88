package testkit

import (
	"flag"
	"testing"
	"time"
)

// The flags of every layer's torture test (reactor, usocket, udp): one
// definition, so that -torture.seed and -torture.duration mean the same in
// each package's test binary.
var (
	tortureDuration = flag.Duration("torture.duration", 0,
		"how long a torture test drives random operations (0: its default; longer for a soak run)")
	tortureSeed = flag.Uint64("torture.seed", 0,
		"seed of a torture test's random choices (0: from the clock); the test logs it for a rerun")
)

// Torture returns the duration and seed of a torture test, from the flags
// or the defaults (def, or short with -short), and logs both so that a
// failure can be replayed with -torture.seed (interleavings still vary,
// the choices do not).
func Torture(t testing.TB, def, short time.Duration) (time.Duration, uint64) {
	t.Helper()
	d := *tortureDuration
	if d == 0 {
		d = def
		if testing.Short() {
			d = short
		}
	}
	seed := *tortureSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("torture: -torture.seed=%d -torture.duration=%v", seed, d)
	return d, seed
}
