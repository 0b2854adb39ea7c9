package rulepack_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"entitle/engine/rulepack"
)

// TestRuleStarts: a rule starts on its effective date, never before its plan
// period nor before the year of its undated documents (NotBefore), and has
// no start when the texts give none; InForce agrees, and StartsText gives
// only the year when that is all that is known.
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
		notBefore *time.Time
		want      *time.Time
		text      string
	}{
		{"neither", rulepack.Window{}, nil, nil, nil, ""},
		{"effective only", rulepack.Window{From: day("2016-01-01")}, nil, nil, day("2016-01-01"), "2016-01-01"},
		{"plan only (issue date unreadable)", rulepack.Window{}, plan, nil, day("2021-01-01"), "2021-01-01"},
		{"issued within the plan period", rulepack.Window{From: day("2022-06-08")}, plan, nil, day("2022-06-08"), "2022-06-08"},
		{"dated before the plan period", rulepack.Window{From: day("2020-11-01")}, plan, nil, day("2021-01-01"), "2021-01-01"},
		{"undated document, year known", rulepack.Window{}, nil, day("2022-01-01"), day("2022-01-01"), "2022"},
		{"effective date before the year", rulepack.Window{From: day("2021-07-01")}, nil, day("2022-01-01"), day("2022-01-01"), "2022"},
		{"effective date within the year", rulepack.Window{From: day("2022-03-01")}, nil, day("2022-01-01"), day("2022-03-01"), "2022-03-01"},
		{"effective on the first of the year", rulepack.Window{From: day("2022-01-01")}, nil, day("2022-01-01"), day("2022-01-01"), "2022-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &rulepack.Rule{Effective: tt.effective, PlanPeriod: tt.plan, NotBefore: tt.notBefore}
			assert.Equal(t, tt.want, r.Starts())
			assert.Equal(t, tt.text, r.StartsText())
			if tt.want != nil {
				assert.False(t, r.InForce(tt.want.AddDate(0, 0, -1), "continue"), "the day before")
				assert.True(t, r.InForce(*tt.want, "continue"), "the first day")
			} else {
				assert.True(t, r.InForce(*day("1990-01-01"), "continue"))
			}
		})
	}
}
