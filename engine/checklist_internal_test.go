package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"entitle/engine/rulepack"
)

// TestChecklistCounting: a fact two determinations of one benefit wait on
// (two members' allowances on the household's income) counts that benefit
// once; values the pack lacks are not put to the applicant; ties keep the
// order of first asking.
func TestChecklistCounting(t *testing.T) {
	miss := func(field string) Missing { return Missing{Field: field, Label: rulepack.Text{Zh: field, En: field}} }
	dets := []Determination{
		{Benefit: "dibao", Subject: "household", Missing: []Missing{miss("housing.dilapidated"), miss("members[0].income.other")}},
		{Benefit: "living_allowance", Subject: "M1", Missing: []Missing{miss("members[0].income.other"), miss("parameter:living_allowance_amount")}},
		{Benefit: "living_allowance", Subject: "M2", Missing: []Missing{miss("members[0].income.other"), miss("definition:difficult_family")}},
		{Benefit: "care_subsidy", Subject: "M2", Missing: []Missing{miss("members[1].care.months")}},
	}
	got := checklist(dets)
	var fields []string
	for _, q := range got {
		fields = append(fields, q.Field)
	}
	assert.Equal(t, []string{"members[0].income.other", "housing.dilapidated", "members[1].care.months"}, fields)
	assert.Equal(t, []string{"dibao", "living_allowance"}, got[0].Benefits, "living_allowance once, for both members")
	assert.Nil(t, checklist([]Determination{{Benefit: "dibao"}}), "nothing missing")
}
