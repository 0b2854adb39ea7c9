package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRuleTextsNameTheDocument: the caveats a caseworker reads about a rule
// (a stronger rule still open, a plan period that has ended) name the
// document and section, as the citations do, not the rule's id: the id is
// in the caveat's rule field.
func TestRuleTextsNameTheDocument(t *testing.T) {
	eng, err := LoadEmbedded()
	require.NoError(t, err)
	for _, tt := range []struct {
		rule                                     string
		strongerZh, strongerEn, endedZh, endedEn string
	}{
		{
			rule:       "141081.dibao_single_person.edge_severe",
			strongerZh: "若补充所缺事实，可能依据《侯馬市“十四五”殘疾人保障和發展規劃》专栏2 第1项，成为“应当给予”类待遇。",
			strongerEn: "With the missing facts it may qualify as shall under 《侯馬市“十四五”殘疾人保障和發展規劃》专栏2 第1项.",
			endedZh:    "所依据的《侯馬市“十四五”殘疾人保障和發展規劃》规划期（2021–2025）已于 2025-12-31 结束；本结果按该条款继续有效处理，请核实当地现行政策。",
			endedEn:    "It rests on 《侯馬市“十四五”殘疾人保障和發展規劃》, whose plan period (2021–2025) ended on 2025-12-31; it is applied as still in force. Check the current local policy.",
		},
		{
			// A national rule: no plan period, and a citation without a section.
			rule:       "national.dibao_single_person.adult_unemployed_severe",
			strongerZh: "若补充所缺事实，可能依据《民政部关于低保兜底保障工作的通知（2022年）》，成为“可以给予”类待遇。",
			strongerEn: "With the missing facts it may qualify as may under 《民政部关于低保兜底保障工作的通知（2022年）》.",
		},
	} {
		r, ok := eng.pack.Rule(tt.rule)
		require.True(t, ok, tt.rule)
		texts := eng.ruleTexts[r.Order]
		assert.Equal(t, tt.strongerZh, texts.strongerOpen.Zh)
		assert.Equal(t, tt.strongerEn, texts.strongerOpen.En)
		assert.Equal(t, tt.endedZh, texts.planEnded.Zh)
		assert.Equal(t, tt.endedEn, texts.planEnded.En)
	}
}
