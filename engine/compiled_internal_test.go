package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// TestCompiledUnknownsAndErrors runs expressions mixing known facts,
// unknown ones and errors (division by zero) through the compiled closures
// and through CEL's partial evaluation: the value, or the error, or the
// list of missing fields must be the same, and as written here. The pack's
// own expressions (TestCompiledMatchesCEL) rarely put two different
// unknowns, or an unknown and an error, on the two sides of an operator.
func TestCompiledUnknownsAndErrors(t *testing.T) {
	eng, err := LoadEmbedded()
	require.NoError(t, err)
	// M1: disabled, category known; grade, care and its months unknown.
	h, _, err := household.Decode([]byte(`{"id": "H", "jurisdiction": "141081", "residence": "urban",
		"members": [{"id": "M1", "relation": "head", "birth_date": "1980-05-01", "disabled": true,
		"disability": {"category": "physical"}}]}`), household.DecodeOptions{File: "h.json"})
	require.NoError(t, err)
	ev := eng.newEvaluator(context.Background(), h, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), evalConfig{}, nil)
	defer eng.release(ev)
	a := ev.act(0)
	const grade, care, months = "members[0].disability.grade", "members[0].care.needed", "members[0].care.months"
	for _, c := range []struct {
		src     string
		want    string   // true, false, error or unknown
		missing []string // when unknown
	}{
		{"member.grade <= 2 && member.care_needed", "unknown", []string{care, grade}},
		{"member.grade <= 2 || member.care_months > 6", "unknown", []string{months, grade}},
		{"member.grade + member.care_months > 3", "unknown", []string{months, grade}},
		{"member.grade == member.care_months", "unknown", []string{months, grade}},
		{"member.grade != 2", "unknown", []string{grade}},
		{"member.care_months != 1 && member.age > 200", "false", nil},
		{"member.age > 10 || member.grade < 1", "true", nil},
		{"!member.care_needed", "unknown", []string{care}},
		{"(member.care_needed ? member.grade : 1) > 0", "unknown", []string{care}},
		{"member.grade in [1, member.care_months]", "unknown", []string{months, grade}},
		{"member.age in [1, member.care_months]", "unknown", []string{months}},
		{"-member.grade < 0", "unknown", []string{grade}},
		{"int(member.care_needed ? 1.0 : 2.0) > 0", "unknown", []string{care}},
		{"size(member.category) > 0 && member.grade > 0", "unknown", []string{grade}},
		{"member.age / 0 > 1 && member.grade > 1", "unknown", []string{grade}},
		{"member.age / 0 > 1 || member.care_needed", "unknown", []string{care}},
		{"member.age / 0 > 1 || member.age > 1", "true", nil},
		{"member.age / 0 > 1 && member.age > 1", "error", nil},
		{"member.age % 0 == member.grade", "error", nil},
		{"member.grade == member.age % 0", "error", nil},
		{"member.grade < member.age / 0", "unknown", []string{grade}},
		{"member.age / 0 < member.grade", "error", nil},
		{"member.age / 0 < 1 ? true : member.care_needed", "error", nil},
		{"member.grade in [member.age / 0, member.care_months]", "unknown", []string{grade}},
		{"member.age in [member.care_months, member.age / 0]", "error", nil},
		{"member.age >= 18 && member.category == 'physical'", "true", nil},
		// NaN orders with nothing: every relation is false, not an error
		// (cel-go's relations; found by FuzzCompiledMatchesCEL).
		{"0.0 / 0.0 < double(member.age)", "false", nil},
		{"double(member.age) >= 0.0 / 0.0", "false", nil},
		{"0.0 / 0.0 <= double(member.grade)", "unknown", []string{grade}},
		// A bool is not negated by -_ (only by !_), even where the checker
		// lets one through as dyn (found by FuzzCompiledMatchesCEL).
		{"-(false ? (null + null) : true) == false", "error", nil},
		{"-(false ? (null + null) : member.care_needed) == false", "unknown", []string{care}},
	} {
		ast, iss := eng.pack.Env.Compile(c.src)
		require.NoError(t, iss.Err(), c.src)
		partial, err := eng.pack.Env.Program(ast, cel.EvalOptions(cel.OptPartialEval))
		require.NoError(t, err)
		fn := eng.slots.compileExpr(&rulepack.Expr{Src: c.src, AST: ast})
		require.NotNil(t, fn, "%s is compiled", c.src)
		var patterns []*cel.AttributePatternType
		for _, name := range rulepack.ReferencedVars(ast) {
			if s := eng.slots.byName[name]; s != nil && !a.known(s) {
				patterns = append(patterns, s.pattern)
			}
		}
		pv, err := cel.PartialVars(a, patterns...)
		require.NoError(t, err)
		want, _, err := partial.Eval(pv)
		if err != nil {
			want = types.WrapErr(err)
		}
		got := fn(a)
		kind := func(v ref.Val) (string, []string) {
			switch x := v.(type) {
			case *types.Unknown:
				return "unknown", missingOf(x, a)
			case *types.Err:
				return "error", nil
			}
			return fmt.Sprint(v.Value()), nil
		}
		gk, gm := kind(got)
		wk, wm := kind(want)
		assert.Equal(t, wk, gk, "%s: compiled %v, CEL %v", c.src, got, want)
		assert.True(t, slices.Equal(wm, gm), "%s: missing, compiled %v, CEL %v", c.src, gm, wm)
		assert.Equal(t, c.want, gk, c.src)
		assert.Equal(t, c.missing, gm, c.src)
	}
}
