package engine_test

import (
	"context"
	"fmt"
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
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// TestNotDeterminedWhy: a benefit a result does not determine is listed
// with why, and the words say it.
func TestNotDeterminedWhy(t *testing.T) {
	for _, tc := range []struct {
		name, file, asOf string
		edit             func(h *household.Household)
		benefit, why     string
		text             []string // in the Chinese text
		quote            string   // a citation quotes it
	}{
		{name: "Houma's plan has no clause on information discounts", file: "houma-phase-out.yaml",
			benefit: "information_discount", why: engine.NotDeterminedNoClause,
			text: []string{"《侯馬市“十四五”殘疾人保障和發展規劃》中没有此项待遇的条款", "全国规则"}},
		{name: "the note on the cell is added", file: "houma-phase-out.yaml",
			benefit: "legal_aid_means_test_waiver", why: engine.NotDeterminedNoClause,
			text: []string{"没有免除经济困难审查"}},
		{name: "a clause left out is quoted with the reason", file: "houma-phase-out.yaml",
			benefit: "dilapidated_house_renovation", why: engine.NotDeterminedLeftOut,
			text: []string{"未将其作为个人待遇认定", "不等于承诺改造"}, quote: "持續關注農村低收入殘疾人家庭住房安全"},
		{name: "before the plan period no rule is in force", file: "houma-phase-out.yaml", asOf: "2019-08-15",
			edit:    func(h *household.Household) { h.IncomeHistory = nil },
			benefit: "dibao", why: engine.NotDeterminedNotInForce,
			text: []string{"自 2021-01-01 起适用", "评估日期 2019-08-15"}},
		{name: "nobody disabled", file: "houma-phase-out.yaml",
			edit: func(h *household.Household) {
				no := false
				h.Members[2].Disability, h.Members[2].Disabled = nil, &no
			},
			benefit: "care_subsidy", why: engine.NotDeterminedNoSubject, text: []string{"家庭成员中没有此项待遇的对象（残疾人）"}},
		{name: "nobody in paid work", file: "houma-phase-out.yaml",
			edit: func(h *household.Household) {
				var none money.Fen
				h.Members[0].Employment, h.Members[0].Income.Wages = &household.Employment{Status: "unemployed"}, &none
			},
			benefit: "employment_cost_deduction", why: engine.NotDeterminedNoSubject, text: []string{"（有工资收入的就业成员）"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile("../testdata/households/" + tc.file)
			require.NoError(t, err)
			h, _, err := household.Decode(data, household.DecodeOptions{File: tc.file})
			require.NoError(t, err)
			if tc.edit != nil {
				tc.edit(h)
			}
			var opts []engine.EvalOption
			if tc.asOf != "" {
				d, err := time.Parse("2006-01-02", tc.asOf)
				require.NoError(t, err)
				opts = append(opts, engine.AsOf(d))
			}
			eng := testengine.Engine(t)
			res, err := eng.Evaluate(context.Background(), h, opts...)
			require.NoError(t, err)
			i := slices.IndexFunc(res.NotDetermined, func(n engine.NotDetermined) bool { return n.Benefit == tc.benefit })
			require.GreaterOrEqual(t, i, 0, "%s is not listed as not determined", tc.benefit)
			n := res.NotDetermined[i]
			assert.Equal(t, tc.why, n.Why)
			require.NotNil(t, n.Text)
			for _, s := range tc.text {
				assert.Contains(t, n.Text.Zh, s)
			}
			assert.NotEmpty(t, n.Text.En)
			assert.NotEmpty(t, n.BenefitName.Zh)
			if tc.quote != "" {
				require.Len(t, n.Citations, 1)
				assert.Equal(t, tc.quote, n.Citations[0].Quote)
				assert.NotEmpty(t, n.Citations[0].Title)
			} else {
				assert.Empty(t, n.Citations)
			}
			lean, err := eng.Evaluate(context.Background(), h, append(opts, engine.Lean())...)
			require.NoError(t, err)
			assert.Equal(t, whys(res.NotDetermined), whys(lean.NotDetermined), "a lean result lists the same benefits and codes")
			for _, n := range lean.NotDetermined {
				assert.Equal(t, engine.NotDetermined{Benefit: n.Benefit, Why: n.Why}, n, "lean: only the code and why")
			}
		})
	}
}

func whys(list []engine.NotDetermined) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.Benefit+":"+n.Why)
	}
	return out
}

// TestEveryBenefitAccountedFor: in every result, each benefit of the pack
// is either determined for some subject or listed once as not determined,
// never both; with a selection of benefits, only those. Generated
// households in every jurisdiction, before, in and after the plan period.
func TestEveryBenefitAccountedFor(t *testing.T) {
	eng := testengine.Engine(t)
	var all []string
	for _, b := range eng.Pack().Benefits {
		all = append(all, b.Code)
	}
	check := func(t *testing.T, res *engine.Result, want []string) {
		t.Helper()
		seen := map[string]string{}
		for _, d := range res.Determinations {
			seen[d.Benefit] = "determined"
		}
		for _, n := range res.NotDetermined {
			if prev, dup := seen[n.Benefit]; dup {
				t.Errorf("%s: %s is %s and also not determined (%s)", res.Household, n.Benefit, prev, n.Why)
			}
			seen[n.Benefit] = n.Why
			assert.Contains(t, engine.NotDeterminedCodes, n.Why)
		}
		var got []string
		for code := range seen {
			got = append(got, code)
		}
		slices.Sort(got)
		assert.Equal(t, want, got, "%s: benefits accounted for", res.Household)
	}
	// The coverage matrix (coverage.yaml) says which cells have no rules.
	cells := map[string]rulepack.Cell{}
	for _, row := range eng.Pack().Coverage() {
		for _, c := range row.Cells {
			cells[c.Jurisdiction+"/"+row.Benefit] = c
		}
	}
	matchesCoverage := func(t *testing.T, res *engine.Result) {
		t.Helper()
		for _, n := range res.NotDetermined {
			c := cells[res.Jurisdiction.Code+"/"+n.Benefit]
			switch n.Why {
			case engine.NotDeterminedNoClause:
				assert.Equal(t, rulepack.CellAbsent, c.Status, "%s in %s", n.Benefit, res.Jurisdiction.Code)
				assert.Empty(t, c.National, "%s in %s", n.Benefit, res.Jurisdiction.Code)
			case engine.NotDeterminedLeftOut:
				assert.Equal(t, rulepack.CellExcused, c.Status, "%s in %s", n.Benefit, res.Jurisdiction.Code)
				assert.Len(t, n.Citations, len(c.Excused), "%s in %s: every clause left out is quoted", n.Benefit, res.Jurisdiction.Code)
			default:
				assert.True(t, c.Status == rulepack.CellEncoded || len(c.National) > 0, "%s in %s has rules", n.Benefit, res.Jurisdiction.Code)
			}
		}
	}
	sortedAll := slices.Sorted(slices.Values(all))
	selected := []string{"care_subsidy", "dibao", "information_discount"}
	whyCount := map[string]int{}
	n := 0
	for i, asOf := range []time.Time{
		time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	} {
		_, err := rollgen.Generate(eng, rollgen.Config{Households: 200, Seed: uint64(60 + i), AsOf: asOf, Plant: map[audit.Class]int{}},
			func(e *audit.Entry) error {
				res, err := eng.Evaluate(context.Background(), e.Household, engine.AsOf(asOf))
				if engine.IsInputError(err) {
					return nil // a planted invalid record
				}
				require.NoError(t, err)
				check(t, res, sortedAll)
				matchesCoverage(t, res)
				for _, nd := range res.NotDetermined {
					whyCount[nd.Why]++
				}
				some, err := eng.Evaluate(context.Background(), e.Household, engine.AsOf(asOf), engine.Benefits(selected...))
				require.NoError(t, err)
				check(t, some, selected)
				n++
				return nil
			})
		require.NoError(t, err)
	}
	assert.Greater(t, n, 500)
	for _, why := range engine.NotDeterminedCodes {
		assert.Positive(t, whyCount[why], "no generated household had a benefit not determined as %s", why)
	}
	t.Logf("%d households; not determined: %v", n, whyCount)
}

// ExampleResult_notDetermined: the benefits a result does not decide, and
// why.
func ExampleResult_notDetermined() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	data, err := os.ReadFile("../testdata/households/houma-phase-out.yaml")
	if err != nil {
		panic(err)
	}
	res, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{File: "houma-phase-out.yaml"})
	if err != nil {
		panic(err)
	}
	for _, n := range res.NotDetermined {
		fmt.Println(n.Benefit, n.Why)
	}
	// Output:
	// severe_disability_55_59_allowance no_clause
	// information_discount no_clause
	// dilapidated_house_renovation left_out
	// legal_aid_means_test_waiver no_clause
	// free_education no_clause
}

// TestUndecidedBenefitIsAsked: a rule that reads a benefit the result does
// not determine (侯马's 低保 rules start in 2021; the living allowance, from
// 2016, reads “低保家庭, or one that qualifies”) is undetermined with that
// benefit on its checklist, saying why the pack cannot decide it; before,
// the checklist was empty.
func TestUndecidedBenefitIsAsked(t *testing.T) {
	eng := testengine.Engine(t)
	data, err := os.ReadFile("../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	h, _, err := household.Decode(data, household.DecodeOptions{File: "houma-phase-out.yaml"})
	require.NoError(t, err)
	h.IncomeHistory = nil
	asOf := engine.AsOf(time.Date(2019, 8, 15, 0, 0, 0, 0, time.UTC))
	living := func(res *engine.Result) engine.Determination {
		for _, d := range res.Determinations {
			if d.Benefit == "living_allowance" && d.Subject == "M3" {
				return d
			}
		}
		t.Fatalf("no living allowance for M3")
		return engine.Determination{}
	}

	inDibao, err := eng.Evaluate(context.Background(), h, asOf)
	require.NoError(t, err)
	assert.Equal(t, engine.Eligible, living(inDibao).Status, "a family receiving dibao needs no determination of it")

	// Known not to receive dibao, and not 特困: only whether the family
	// qualifies for dibao is open, and the pack cannot say on that date.
	no := false
	h.Status, h.Members[2].Tekun = &household.Statuses{}, &no
	res, err := eng.Evaluate(context.Background(), h, asOf)
	require.NoError(t, err)
	d := living(res)
	require.Equal(t, engine.Undetermined, d.Status)
	labels := map[string]rulepack.Text{}
	var fields []string
	for _, m := range d.Missing {
		labels[m.Field] = m.Label
		fields = append(fields, m.Field)
	}
	require.Equal(t, []string{"benefit:dibao", "benefit:dibao_single_person"}, fields)
	assert.Equal(t, "是否符合“最低生活保障”（本规则包未作认定：此项待遇的规则自 2021-01-01 起适用，评估日期 2019-08-15 在此之前）", labels["benefit:dibao"].Zh)
	assert.Equal(t, "whether Minimum living guarantee (dibao) applies (the pack does not determine it: the rules for this benefit apply from 2021-01-01; on 2019-08-15 they were not yet in force)", labels["benefit:dibao"].En)

	lean, err := eng.Evaluate(context.Background(), h, asOf, engine.Lean())
	require.NoError(t, err)
	assert.Contains(t, living(lean).Missing, engine.Missing{Field: "benefit:dibao"}, "lean results keep the field")
}
