package main

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/httpapi"
)

// TestReplayWhy: a change is explained in both languages, and a logged
// reason for refusal is told apart by its kind: a granting rule's condition
// now (or no longer) unmet, or an exception that now (or no longer) applies.
func TestReplayWhy(t *testing.T) {
	eng, err := engine.LoadEmbedded()
	require.NoError(t, err)
	p := eng.Pack()
	const (
		unmet     = "national.care_subsidy.severe_long_term.long_term_care"
		exception = "national.care_subsidy.excl_work_injury.work_injury_care"
	)
	granted := &httpapi.Outcome{Status: "eligible", Modality: "shall", Rules: []string{"national.care_subsidy.severe_long_term"}, Amount: "100.00"}
	tests := []struct {
		name          string
		before, after *httpapi.Outcome
		en, zh        string
	}{
		{"exception now applies", granted,
			&httpapi.Outcome{Status: "ineligible", Rules: []string{"national.care_subsidy.excl_work_injury"}, Failed: []string{exception}},
			"rules now: national.care_subsidy.excl_work_injury; rules no longer: national.care_subsidy.severe_long_term; an exception now applies: " + exception + " (receives the work-injury insurance living-care allowance); amount 100.00 → none",
			"现依据规则：national.care_subsidy.excl_work_injury；不再依据规则：national.care_subsidy.severe_long_term；现属于例外情形：" + exception + "（领取工伤保险生活护理费）；金额 100.00 → 无"},
		{"exception no longer applies",
			&httpapi.Outcome{Status: "ineligible", Rules: granted.Rules, Failed: []string{exception}}, granted,
			"an exception no longer applies: " + exception + " (receives the work-injury insurance living-care allowance); amount none → 100.00",
			"不再属于例外情形：" + exception + "（领取工伤保险生活护理费）；金额 无 → 100.00"},
		{"condition now unmet, one the pack does not know", granted,
			&httpapi.Outcome{Status: "ineligible", Rules: granted.Rules, Failed: []string{unmet, "gone.rule.cond"}},
			"now not met: " + unmet + " (needs long-term care (6 months or more)), gone.rule.cond; amount 100.00 → none",
			"现未满足：" + unmet + "（需要长期照护（持续6个月以上）），gone.rule.cond；金额 100.00 → 无"},
		{"modality only", granted, &httpapi.Outcome{Status: "eligible", Modality: "may", Rules: granted.Rules, Amount: "100.00"},
			"the modality of the rules changed", "规则的给予方式改变"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := why(p, tt.before, tt.after)
			assert.Equal(t, tt.en, got.En)
			assert.Equal(t, tt.zh, got.Zh)
		})
	}
}

// TestReplayNoLongerDetermined: a logged determination that the replay no
// longer makes is explained by why the result does not determine it (the
// plan has no such clause), or, when the benefit is still determined for
// others, as no longer concerning that member.
func TestReplayNoLongerDetermined(t *testing.T) {
	eng, err := engine.LoadEmbedded()
	require.NoError(t, err)
	data, err := os.ReadFile("../../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	h, _, err := household.Decode(data, household.DecodeOptions{File: "houma-phase-out.yaml"})
	require.NoError(t, err)
	res, err := eng.Evaluate(context.Background(), h)
	require.NoError(t, err)
	d := httpapi.Decision{DecisionID: "d1", Input: h, Results: []httpapi.Outcome{
		{Benefit: "information_discount", Subject: "M3", Status: "eligible", Modality: "shall"},
		{Benefit: "living_allowance", Subject: "M9", Status: "eligible", Modality: "shall"},
	}}
	changes := diff(eng.Pack(), d, res, "log.jsonl", 1)
	byKey := map[string]Change{}
	for _, c := range changes {
		byKey[c.Benefit+"/"+c.Subject] = c
	}
	gone := byKey["information_discount/M3"]
	assert.Nil(t, gone.After)
	assert.Equal(t, "不再认定：《侯馬市“十四五”殘疾人保障和發展規劃》中没有此项待遇的条款，本规则包中也没有适用于此的全国规则。", gone.WhyZh)
	assert.Equal(t, "no longer determined: No clause of 《侯馬市“十四五”殘疾人保障和發展規劃》 gives this benefit, and no national rule of the pack applies.", gone.Why)
	other := byKey["living_allowance/M9"]
	assert.Equal(t, "不再对此对象认定：此项待遇的规则已不涉及该成员", other.WhyZh)
	assert.Len(t, changes, 2+len(res.Determinations), "every determination of the replay is new to this log")
}
