//go:build !unix

package main

import "os"

// reopenSignals reopen serve's decision log (for rotation); there is no
// SIGUSR1 here, so the log is rotated by stopping the server.
var reopenSignals []os.Signal
