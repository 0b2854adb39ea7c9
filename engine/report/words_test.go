package report_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/facts"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func TestRuleKind(t *testing.T) {
	tests := []struct{ lang, effect, modality, want string }{
		{"zh", "grant", "shall", "应当给予"},
		{"zh", "grant", "may", "可以给予"},
		{"zh", "grant", "planned", "规划目标"},
		{"zh", "deny", "shall", "排除（例外情形）"},
		{"zh", "caveat", "shall", "提示，应当给予"},
		{"en", "grant", "planned", "planned"},
		{"en", "deny", "shall", "deny (an exception)"},
		{"en", "caveat", "may", "caveat, may"},
		{"", "grant", "shall", "应当给予"}, // Chinese unless en
		{"zh", "grant", "someday", "someday"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, report.RuleKind(tt.lang, tt.effect, tt.modality), "%+v", tt)
	}
}

func TestStatusWords(t *testing.T) {
	tests := []struct {
		lang   string
		status engine.Status
		want   string
	}{
		{"zh", engine.Eligible, "符合"},
		{"zh", engine.Ineligible, "不符合"},
		{"zh", engine.Undetermined, "待补充信息"},
		{"en", engine.Undetermined, "needs information"},
		{"en", "other", "other"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, report.Status(tt.lang, tt.status), "%+v", tt)
	}
}

func TestReasonText(t *testing.T) {
	label := rulepack.Text{Zh: "求职或创业", En: "looking for work or starting a business"}
	tests := []struct {
		name, lang string
		r          engine.Reason
		want       string
	}{
		{"an enum compared with a list", "zh",
			engine.Reason{Label: label, Actual: "not_in_labour_force", Op: "in", Expected: "[unemployed, self_employed]"},
			"求职或创业 —— 未满足（实际 非劳动力，要求 属于 失业、自主创业）"},
		{"the same in English", "en",
			engine.Reason{Label: label, Actual: "not_in_labour_force", Op: "in", Expected: "[unemployed, self_employed]"},
			"looking for work or starting a business — not met (actual not in the labour force, required one of unemployed, self-employed)"},
		{"money in yuan", "zh",
			engine.Reason{Label: rulepack.Text{Zh: "家庭人均收入低于当地低保标准"}, Actual: "760.00", Op: "<", Expected: "700.00", Unit: "money"},
			"家庭人均收入低于当地低保标准 —— 未满足（实际 760.00 元，要求 < 700.00 元）"},
		{"an age", "en",
			engine.Reason{Label: rulepack.Text{En: "a child"}, Actual: "35", Op: "<=", Expected: "6", Unit: "岁"},
			"a child — not met (actual 35 years, required <= 6 years)"},
		{"facts read, with a category and an empty list", "zh",
			engine.Reason{Label: rulepack.Text{Zh: "有需求"}, Facts: []engine.FactValue{
				{Label: rulepack.Text{Zh: "残疾类别"}, Value: "mental"},
				{Label: rulepack.Text{Zh: "服务需求"}, Value: "[]"},
				{Label: rulepack.Text{Zh: "与户主关系"}, Value: "grandchild"}}},
			"有需求 —— 未满足（实际：残疾类别 精神；服务需求 无；与户主关系 孙子女）"},
		{"a list of needs in English", "en",
			engine.Reason{Label: rulepack.Text{En: "needs care"}, Facts: []engine.FactValue{
				{Label: rulepack.Text{En: "service needs"}, Value: "[rehabilitation, assistive_device]"}}},
			"needs care — not met (actual: service needs rehabilitation, assistive device)"},
		{"a string that is no code is shown as it is", "zh",
			engine.Reason{Label: rulepack.Text{Zh: "x"}, Actual: "abc", Op: "==", Expected: "def"},
			"x —— 未满足（实际 abc，要求 == def）"},
		{"an exception", "", engine.Reason{Label: rulepack.Text{Zh: "纳入特困人员供养"}, Effect: "deny"},
			"纳入特困人员供养 —— 属于例外情形"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, report.ReasonText(tt.lang, tt.r))
		})
	}
}

// TestUnitLabelsCoverTheFacts: every unit a fact or a comparison carries
// has its names, so no result shows a bare unit code such as "money".
func TestUnitLabelsCoverTheFacts(t *testing.T) {
	units := report.UnitLabels()
	assert.Contains(t, units, "money")
	for _, f := range facts.All() {
		if f.Unit != "" {
			assert.Contains(t, units, f.Unit, "%s", f.Name)
		}
	}
}

// TestCaveatShownOnce: two rules resting on one plan give the same caveat
// text (the plan named, not the rule); the report shows it once.
func TestCaveatShownOnce(t *testing.T) {
	ended := rulepack.Text{Zh: "所依据的《某规划》规划期（2021–2025）已于 2025-12-31 结束。", En: "It rests on 《某规划》, whose plan period ended."}
	res := &engine.Result{Household: "H", AsOf: "2026-11-24", Determinations: []engine.Determination{{
		Benefit: "dibao", Subject: "household", Status: engine.Eligible, Modality: rulepack.Shall,
		Caveats: []engine.Caveat{
			{Code: "plan_period_ended", Rule: "a", Text: ended},
			{Code: "plan_period_ended", Rule: "b", Text: ended},
			{Code: "remark", Rule: "a", Text: rulepack.Text{Zh: "须经本人申请。", En: "The person must apply."}},
		},
	}}}
	for _, lang := range []string{"zh", "en"} {
		var b strings.Builder
		require.NoError(t, report.Write(&b, res, report.Options{Lang: lang}))
		assert.Equal(t, 1, strings.Count(b.String(), ended.In(lang)), b.String())
		assert.Contains(t, b.String(), rulepack.Text{Zh: "须经本人申请。", En: "The person must apply."}.In(lang))
	}
}
