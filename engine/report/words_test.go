package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"entitle/engine"
	"entitle/engine/report"
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
