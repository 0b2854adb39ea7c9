package rulepack_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"entitle/engine/rulepack"
)

// TestRuleStarts: a rule starts on its effective date, never before its plan
// period, and has no start when the texts give neither; InForce agrees.
func TestRuleStarts(t *testing.T) {
	day := func(s string) *time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	plan := &rulepack.Window{From: day("2021-01-01"), To: day("2025-12-31")}
	tests := []struct {
		name      string
		effective rulepack.Window
		plan      *rulepack.Window
		want      *time.Time
	}{
		{"neither", rulepack.Window{}, nil, nil},
		{"effective only", rulepack.Window{From: day("2016-01-01")}, nil, day("2016-01-01")},
		{"plan only (issue date unreadable)", rulepack.Window{}, plan, day("2021-01-01")},
		{"issued within the plan period", rulepack.Window{From: day("2022-06-08")}, plan, day("2022-06-08")},
		{"dated before the plan period", rulepack.Window{From: day("2020-11-01")}, plan, day("2021-01-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &rulepack.Rule{Effective: tt.effective, PlanPeriod: tt.plan}
			assert.Equal(t, tt.want, r.Starts())
			if tt.want != nil {
				assert.False(t, r.InForce(tt.want.AddDate(0, 0, -1), "continue"), "the day before")
				assert.True(t, r.InForce(*tt.want, "continue"), "the first day")
			} else {
				assert.True(t, r.InForce(*day("1990-01-01"), "continue"))
			}
		})
	}
}
