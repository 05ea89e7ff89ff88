//go:build race

package reactortls

// raceEnabled: the race detector slows crypto about tenfold, so the load
// tests use fewer connections under it.
const raceEnabled = true
