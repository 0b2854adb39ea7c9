// Package testengine gives tests the embedded pack's engine on a fixed clock.
package testengine

import (
	"sync"
	"testing"
	"time"

	"entitle/engine"
)

// Today is the date tests run on, whatever the wall clock says: birth dates
// and "as of today" outcomes stay the same from day to day.
var Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

var (
	once sync.Once
	eng  *engine.Engine
	err  error
)

// Engine returns the engine of the embedded pack on the clock of Today,
// loaded once for the test binary (an Engine is safe for concurrent use).
func Engine(t testing.TB) *engine.Engine {
	t.Helper()
	once.Do(func() { eng, err = engine.LoadEmbedded(engine.WithClock(func() time.Time { return Today })) })
	if err != nil {
		t.Fatalf("loading the embedded pack: %v", err)
	}
	return eng
}
