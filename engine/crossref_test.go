package engine_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// A household past the dibao standard is refused dibao but keeps it during
// the phase-out (paid_as: dibao): the dibao determination says so, first
// among its caveats, so that a caseworker reading that card alone does not
// stop the payment.
func TestContinuedByPhaseOut(t *testing.T) {
	day := func(s string) engine.EvalOption {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return engine.AsOf(d)
	}
	tests := []struct {
		name, file  string
		august      bool // add August (above the standard) to the income history
		opts        []engine.EvalOption
		dibao, out  engine.Status // dibao's and the phase-out's ("" when not returned)
		want        bool          // a continued_by caveat on dibao
		conditional bool
		rule, zh    string
	}{
		{name: "in the phase-out", file: "houma-phase-out.yaml", dibao: engine.Ineligible, out: engine.Eligible, want: true,
			rule: "141081.dibao_phase_out.six_months",
			zh:   "本项在“低保渐退期”（2025-03-01 至 2025-08-31）内继续发放，见该项。"},
		{name: "only dibao selected", file: "houma-phase-out.yaml", opts: []engine.EvalOption{engine.Benefits("dibao")},
			dibao: engine.Ineligible, want: true, rule: "141081.dibao_phase_out.six_months", // out: evaluated, not returned
			zh: "本项在“低保渐退期”（2025-03-01 至 2025-08-31）内继续发放，见该项。"},
		{name: "lean: the code without text", file: "houma-phase-out.yaml", opts: []engine.EvalOption{engine.Lean()},
			dibao: engine.Ineligible, out: engine.Eligible, want: true, rule: "141081.dibao_phase_out.six_months"},
		{name: "the phase-out has ended (7th month)", file: "houma-phase-out.yaml", august: true,
			opts: []engine.EvalOption{day("2025-09-01")}, dibao: engine.Ineligible, out: engine.Ineligible},
		{name: "a 7th month unless August's income was below", file: "houma-phase-out.yaml", opts: []engine.EvalOption{day("2025-09-01")},
			dibao: engine.Ineligible, out: engine.Undetermined, want: true, conditional: true, rule: "141081.dibao_phase_out.six_months",
			zh: "本项可能在“低保渐退期”内继续发放，所缺信息见该项。"},
		{name: "the phase-out waits on a month's income", file: "fenghua-employment.yaml", opts: []engine.EvalOption{day("2025-06-30")},
			dibao: engine.Ineligible, out: engine.Undetermined, want: true, conditional: true, rule: "330213.dibao_phase_out.employed",
			zh: "本项可能在“低保渐退期”内继续发放，所缺信息见该项。"},
		{name: "eligible for dibao itself", file: "hulunbuir-raise.yaml", dibao: engine.Eligible, out: engine.Ineligible},
		{name: "both undetermined: no caveat", file: "dashiqiao-intake.json", dibao: engine.Undetermined, out: engine.Undetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "../testdata/households/" + tt.file
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			if tt.august {
				july := "  - {month: 2025-07, per_capita_income: 760.00}\n"
				require.Contains(t, string(data), july)
				data = []byte(strings.Replace(string(data), july, july+"  - {month: 2025-08, per_capita_income: 760.00}\n", 1))
			}
			res, err := testengine.Engine(t).EvaluateRecord(context.Background(), data, household.DecodeOptions{File: path}, tt.opts...)
			require.NoError(t, err)
			d, ok := res.Determination("dibao", "household")
			require.True(t, ok)
			require.Equal(t, tt.dibao, d.Status)
			p, ok := res.Determination("dibao_phase_out", "household")
			if tt.out == "" {
				require.False(t, ok, "not selected")
			} else {
				require.True(t, ok)
				require.Equal(t, tt.out, p.Status)
			}
			got := caveatsCoded(d, "continued_by")
			if !tt.want {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, got[0], d.Caveats[0], "it comes first")
			assert.Equal(t, tt.rule, got[0].Rule)
			assert.Equal(t, tt.conditional, got[0].Conditional)
			assert.Equal(t, tt.zh, got[0].Text.Zh)
			if tt.zh != "" {
				assert.Contains(t, got[0].Text.En, "“Dibao phase-out period”")
			}
		})
	}
}

// A family refused dibao may have a member who can claim it alone
// (separate_claim_to: dibao): the dibao determination names each such
// member, so that a caseworker reading that card alone does not turn the
// member away.
func TestSeparateClaim(t *testing.T) {
	const (
		rule = "371581.dibao_single_person.edge_family"
		firm = "成员 M2（刘强）可以单独申请本项，见“低保单独申请（参照单人户）”。"
		open = "成员 M2（刘强）可能可以单独申请本项，所缺信息见“低保单独申请（参照单人户）”。"
	)
	type caveat struct {
		rule, zh    string
		conditional bool
	}
	tests := []struct {
		name, file string
		edits      [][2]string // replace each edit[0] by edit[1] in the record
		opts       []engine.EvalOption
		dibao      engine.Status
		single     map[string]engine.Status // dibao_single_person by member (nil when not returned)
		want       []caveat
	}{
		{name: "an edge family's member with a grade 3 mental disability", file: "linqing-edge-family.yaml",
			dibao: engine.Ineligible, single: map[string]engine.Status{"M2": engine.Eligible}, want: []caveat{{rule, firm, false}}},
		{name: "only dibao selected", file: "linqing-edge-family.yaml", opts: []engine.EvalOption{engine.Benefits("dibao")},
			dibao: engine.Ineligible, want: []caveat{{rule, firm, false}}},
		{name: "lean: the code without text", file: "linqing-edge-family.yaml", opts: []engine.EvalOption{engine.Lean()},
			dibao: engine.Ineligible, single: map[string]engine.Status{"M2": engine.Eligible}, want: []caveat{{rule: rule}}},
		{name: "the certificate unknown", file: "linqing-edge-family.yaml",
			edits: [][2]string{{`, certificate_no: "37158119981212002663"`, ""}},
			dibao: engine.Ineligible, single: map[string]engine.Status{"M2": engine.Undetermined}, want: []caveat{{rule, open, true}}},
		{name: "two members may claim alone, in record order", file: "linqing-edge-family.yaml",
			// The mother is disabled too and her income is her brother's:
			// 2,700.00 for three, still above the standard.
			edits: [][2]string{
				{"    disabled: false\n", "    disability: {category: physical, grade: 1, certificate_no: \"37158119690520001X41\"}\n" +
					"    orphan_guarantee: false\n    work_injury_care_allowance: false\n    other_welfare_subsidy: false\n    tekun: false\n"},
				{"    employment: {status: self_employed, costs: 0}\n    income: {wages: 0, business: 1800.00, pension: 0, other: 0}\n",
					"    employment: {status: not_in_labour_force}\n    income: {wages: 0, business: 0, pension: 0, other: 0}\n" +
						"  - {id: M3, relation: other, disabled: false, employment: {status: self_employed, costs: 0}, income: {wages: 0, business: 2700.00, pension: 0, other: 0}}\n"}},
			dibao: engine.Ineligible, single: map[string]engine.Status{"M1": engine.Eligible, "M2": engine.Eligible},
			want: []caveat{{rule, "成员 M1（刘玉梅）可以单独申请本项，见“低保单独申请（参照单人户）”。", false}, {rule, firm, false}}},
		{name: "a member without a name", file: "linqing-edge-family.yaml", edits: [][2]string{{"    name: 刘强\n", ""}},
			dibao: engine.Ineligible, single: map[string]engine.Status{"M2": engine.Eligible},
			want: []caveat{{rule, "成员 M2 可以单独申请本项，见“低保单独申请（参照单人户）”。", false}}},
		{name: "the family receives dibao: nothing to claim alone", file: "hulunbuir-raise.yaml",
			dibao: engine.Eligible, single: map[string]engine.Status{"M1": engine.Ineligible}},
		{name: "dibao undetermined: no caveat", file: "dashiqiao-intake.json",
			dibao: engine.Undetermined, single: map[string]engine.Status{"M1": engine.Ineligible}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "../testdata/households/" + tt.file
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, e := range tt.edits {
				require.Contains(t, string(data), e[0])
				data = []byte(strings.Replace(string(data), e[0], e[1], 1))
			}
			res, err := testengine.Engine(t).EvaluateRecord(context.Background(), data, household.DecodeOptions{File: path}, tt.opts...)
			require.NoError(t, err)
			d, ok := res.Determination("dibao", "household")
			require.True(t, ok)
			require.Equal(t, tt.dibao, d.Status)
			single := map[string]engine.Status{}
			for _, s := range res.Determinations {
				if s.Benefit == "dibao_single_person" {
					single[s.Subject] = s.Status
				}
			}
			if tt.single == nil {
				require.Empty(t, single, "not selected")
			} else {
				require.Equal(t, tt.single, single)
			}
			var got []caveat
			for i, c := range d.Caveats {
				if c.Code == "separate_claim" {
					assert.Equal(t, len(got), i, "they come first")
					got = append(got, caveat{c.Rule, c.Text.Zh, c.Conditional})
					if c.Text.Zh != "" {
						assert.Contains(t, c.Text.En, "claim it alone; see “Dibao applied for separately, as a one-person household”")
					}
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// A caveat rule's remark states its conditions as facts ("本户已纳入特困人员
// 救助供养。…"). While the record leaves them open the caveat is
// conditional, and its text must say what it waits on instead of asserting
// it (regression: a 侯马 household with no status recorded was told it was
// already in 特困 support).
func TestOpenCaveatRuleSaysWhatItWaitsOn(t *testing.T) {
	const remark = "本户已纳入特困人员救助供养。规划把最低生活保障和特困人员救助供养列为两种保障，请核实本户应纳入其中哪一种。"
	tests := []struct {
		name, status string // status: the record's status line, "" for none
		want         bool
		conditional  bool
		zh, en       string
	}{
		{name: "status not recorded", want: true, conditional: true,
			zh: "以下提示在“本户已纳入特困人员救助供养”时适用，尚待核实：" + remark,
			en: "If the household is already supported as 特困 (not yet known): The household is already supported as 特困 (extreme poverty)."},
		{name: "in 特困 support", status: "status: [tekun]\n", want: true, zh: remark,
			en: "The household is already supported as 特困 (extreme poverty)."},
		{name: "no assistance", status: "status: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := "id: T\njurisdiction: \"141081\"\nresidence: rural\nas_of: 2024-05-01\nproperty_test: pass\n" + tt.status + `members:
  - {id: A, relation: head, birth_date: 1968-03-01, disabled: false, employment: {status: employed, costs: 0}, income: {wages: 1000, business: 0, pension: 0, other: 0}}
  - {id: C, relation: child, birth_date: 1996-01-01, disability: {category: intellectual, grade: 3, certificate_valid: true}, employment: {status: unemployed}, income: {wages: 0, business: 0, pension: 0, other: 0}}
`
			res, err := testengine.Engine(t).EvaluateRecord(context.Background(), []byte(rec), household.DecodeOptions{File: "t.yaml"})
			require.NoError(t, err)
			d, ok := res.Determination("dibao", "household")
			require.True(t, ok)
			require.Equal(t, engine.Eligible, d.Status)
			got := caveatsCoded(d, "141081.dibao.tekun_alternative")
			if !tt.want {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, tt.conditional, got[0].Conditional)
			assert.Equal(t, tt.zh, got[0].Text.Zh)
			assert.True(t, strings.HasPrefix(got[0].Text.En, tt.en), got[0].Text.En)
		})
	}
}

// caveatsCoded is d's caveats with a code, in order.
func caveatsCoded(d *engine.Determination, code string) []engine.Caveat {
	var out []engine.Caveat
	for _, c := range d.Caveats {
		if c.Code == code {
			out = append(out, c)
		}
	}
	return out
}
