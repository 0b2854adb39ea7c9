//go:build unix

package main

import (
	"os"
	"syscall"
)

// reopenSignals reopen serve's decision log (for rotation).
var reopenSignals = []os.Signal{syscall.SIGUSR1}
