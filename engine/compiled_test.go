package engine_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
	"entitle/engine/packtest"
	"entitle/rules"
)

// TestCompiledMatchesCEL runs the pack's test cases and a generated roll
// with every compiled expression checked against its CEL program: both
// must give the same value for every expression on every household.
func TestCompiledMatchesCEL(t *testing.T) {
	eng := testengine.Engine(t)
	compiled, total, missing := eng.CompiledCoverage()
	assert.Empty(t, missing, "expressions the closure compiler does not cover")
	assert.Equal(t, total, compiled)

	engine.SetVerifyCompiled(true)
	defer engine.SetVerifyCompiled(false)
	passPackCases(t, eng)
	n := 0
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 1500, Seed: 11, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)},
		func(e *audit.Entry) error {
			n++
			_, err := eng.Evaluate(context.Background(), e.Household, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
			if engine.IsInputError(err) {
				return nil // a planted invalid record
			}
			return err
		})
	require.NoError(t, err)
	assert.Equal(t, 1500, n)
	assert.Empty(t, engine.CompiledMismatches())
}

// TestBriefMatchesFull evaluates the pack's test cases and generated rolls
// on several dates both in full and with Brief: status, modality, amount and
// period must be the same for every determination.
func TestBriefMatchesFull(t *testing.T) {
	eng := testengine.Engine(t)
	engine.SetVerifyBrief(true)
	defer engine.SetVerifyBrief(false)
	passPackCases(t, eng)
	for i, asOf := range []time.Time{
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	} {
		_, err := rollgen.Generate(eng, rollgen.Config{Households: 1500, Seed: uint64(20 + i), AsOf: asOf},
			func(e *audit.Entry) error {
				_, err := eng.Evaluate(context.Background(), e.Household, engine.AsOf(asOf), engine.Lean())
				if engine.IsInputError(err) {
					return nil // a planted invalid record
				}
				return err
			})
		require.NoError(t, err)
	}
	assert.Empty(t, engine.BriefMismatches())
}

// TestSelectionMatchesAll checks that evaluating a selection of benefits
// (which computes only the facts their rules read) gives each selected
// benefit exactly the determinations the whole pack gives it, for each
// benefit alone and for those paid monthly, on generated households and
// the example households, on three dates.
func TestSelectionMatchesAll(t *testing.T) {
	eng := testengine.Engine(t)
	var selections [][]string
	var monthly []string
	for _, b := range eng.Pack().Benefits {
		selections = append(selections, []string{b.Code})
		if b.Payment == "monthly" {
			monthly = append(monthly, b.Code)
		}
	}
	selections = append(selections, monthly)
	var hs []*household.Household
	for _, name := range []string{"dashiqiao-intake.json", "fenghua-employment.yaml", "houma-phase-out.yaml", "hulunbuir-raise.yaml", "linqing-edge-family.yaml"} {
		data, err := os.ReadFile("../testdata/households/" + name)
		require.NoError(t, err)
		h, _, err := household.Decode(data, household.DecodeOptions{File: name})
		require.NoError(t, err)
		hs = append(hs, h)
	}
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 300, Seed: 31, AsOf: asOf}, func(e *audit.Entry) error {
		hs = append(hs, e.Household)
		return nil
	})
	require.NoError(t, err)
	ctx := context.Background()
	compared := 0
	for _, day := range []time.Time{asOf, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)} {
		for _, h := range hs {
			all, err := eng.Evaluate(ctx, h, engine.AsOf(day), engine.Lean())
			if engine.IsInputError(err) {
				continue // a planted invalid record
			}
			require.NoError(t, err)
			for _, codes := range selections {
				sel, err := eng.Evaluate(ctx, h, engine.AsOf(day), engine.Lean(), engine.Benefits(codes...))
				require.NoError(t, err)
				want := []engine.Determination{}
				for _, d := range all.Determinations {
					if slices.Contains(codes, d.Benefit) {
						want = append(want, d)
					}
				}
				if !assert.Equal(t, want, sel.Determinations, "%s on %s, benefits %v", h.ID, day.Format("2006-01-02"), codes) {
					return
				}
				compared += len(want)
			}
		}
	}
	assert.Greater(t, compared, 10000)
}

// passPackCases runs every test case of the embedded pack, which must pass
// (with whatever verification hook the caller turned on).
func passPackCases(t *testing.T, eng *engine.Engine) {
	t.Helper()
	files, err := packtest.Files(rules.FS, ".")
	require.NoError(t, err)
	rep := packtest.Run(eng, rules.FS, files)
	assert.Zero(t, rep.Failed())
	assert.NotZero(t, len(rep.Results))
}
