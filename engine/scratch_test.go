package engine_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/internal/testengine"
)

// TestIntoMatchesNew evaluates generated households one after another
// into one Scratch, in every form, and each result must equal, field for
// field and byte for byte, the same evaluation in new memory, even though
// each is made over the last.
func TestIntoMatchesNew(t *testing.T) {
	eng := testengine.Engine(t)
	ctx := context.Background()
	var s engine.Scratch
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	forms := [][]engine.EvalOption{{engine.AsOf(asOf)}, {engine.AsOf(asOf), engine.Explain()},
		{engine.AsOf(asOf), engine.Lean()}, {engine.AsOf(asOf), engine.Brief()},
		{engine.AsOf(asOf), engine.Benefits("dibao_raise")}}
	n := 0
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 200, Seed: 11, AsOf: asOf}, func(e *audit.Entry) error {
		for _, form := range forms {
			want, err := eng.Evaluate(ctx, e.Household, form...)
			if engine.IsInputError(err) {
				return nil // a planted invalid record
			}
			require.NoError(t, err)
			got, err := eng.Evaluate(ctx, e.Household, append(form, engine.Into(&s))...)
			require.NoError(t, err)
			require.Equal(t, want, got, "household %s", e.Household.ID)
			require.Equal(t, string(eng.AppendJSON(nil, want)), string(eng.AppendJSON(nil, got)))
			n++
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, n, 900)
}

// TestIntoAllocatesLess counts allocations (not time): an evaluation into
// a Scratch used before must allocate well under half of what one in new
// memory does.
func TestIntoAllocatesLess(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates for itself")
	}
	eng := testengine.Engine(t)
	ctx := context.Background()
	h := benchHousehold(t, "../testdata/households/houma-phase-out.yaml")
	opt := engine.AsOf(time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC))
	var s engine.Scratch
	bytesOf := func(opts ...engine.EvalOption) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 20 {
			_, err := eng.Evaluate(ctx, h, opts...)
			require.NoError(t, err)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 20
	}
	bytesOf(opt, engine.Into(&s)) // the Scratch grows to size once
	fresh, reused := bytesOf(opt), bytesOf(opt, engine.Into(&s))
	t.Logf("bytes allocated per evaluation: %d in new memory, %d into a Scratch", fresh, reused)
	assert.Less(t, reused, fresh/2)
}
