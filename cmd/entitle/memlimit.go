package main

import (
	"math"
	"os"
	"runtime/debug"
)

// holdHeapUnder makes the garbage collector run as the Go heap nears limit
// MiB, instead of each time it doubles: audit and serve keep a small live
// heap and allocate fast, so this spends far less time collecting. The
// returned function restores the defaults. GOGC or GOMEMLIMIT in the
// environment, or a limit of 0, leave the runtime as it is.
func holdHeapUnder(limitMiB int) func() {
	if limitMiB <= 0 || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetMemoryLimit(int64(limitMiB) << 20)
	debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
