//go:build !race

package engine_test

// raceEnabled: the race detector is on, and allocation counts mean little.
const raceEnabled = false
