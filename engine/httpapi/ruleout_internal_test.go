package httpapi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"entitle/engine/rulepack"
)

// TestRuleOutDates: a rule's start is a day, or only the year when that is
// all its documents give, and its end is given when the texts set one.
func TestRuleOutDates(t *testing.T) {
	day := func(s string) *time.Time {
		d, _ := time.Parse("2006-01-02", s)
		return &d
	}
	p := &rulepack.Pack{}
	tests := []struct {
		name         string
		rule         rulepack.Rule
		starts, ends string
	}{
		{"no dates", rulepack.Rule{}, "", ""},
		{"a window", rulepack.Rule{Effective: rulepack.Window{From: day("2022-06-08"), To: day("2025-12-31")}}, "2022-06-08", "2025-12-31"},
		{"only the year known", rulepack.Rule{NotBefore: day("2022-01-01")}, "2022", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := NewRuleOut(p, &tt.rule, 0)
			assert.Equal(t, tt.starts, out.Starts)
			assert.Equal(t, tt.ends, out.Ends)
		})
	}
}
