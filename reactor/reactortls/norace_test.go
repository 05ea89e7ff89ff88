//go:build !race

package reactortls

const raceEnabled = false
