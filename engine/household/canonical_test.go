package household_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/household"
)

// TestCanonicalWritesEveryNameAsItsCode: for every enum field, each name a
// record may give, and each code, comes out of Canonical as the code; a
// value that is neither is kept. The record given is not changed.
func TestCanonicalWritesEveryNameAsItsCode(t *testing.T) {
	// fields sets and reads each enum field by its path in EnumFields, on
	// the household or on its one member.
	type H = household.Household
	type M = household.Member
	fields := map[string]struct {
		set func(h *H, m *M, v string)
		get func(h *H, m *M) string
	}{
		"residence":          {func(h *H, _ *M, v string) { h.Residence = v }, func(h *H, _ *M) string { return h.Residence }},
		"property_test":      {func(h *H, _ *M, v string) { h.PropertyTest = v }, func(h *H, _ *M) string { return h.PropertyTest }},
		"status[]":           {func(h *H, _ *M, v string) { h.Status = &household.Statuses{v} }, func(h *H, _ *M) string { return (*h.Status)[0] }},
		"members[].relation": {func(_ *H, m *M, v string) { m.Relation = v }, func(_ *H, m *M) string { return m.Relation }},
		"members[].disability.category": {func(_ *H, m *M, v string) { m.Disability = &household.Disability{Category: v} },
			func(_ *H, m *M) string { return m.Disability.Category }},
		"members[].employment.status": {func(_ *H, m *M, v string) { m.Employment = &household.Employment{Status: v} },
			func(_ *H, m *M) string { return m.Employment.Status }},
		"members[].work_capacity": {func(_ *H, m *M, v string) { m.WorkCapacity = v }, func(_ *H, m *M) string { return m.WorkCapacity }},
		"members[].education.stage": {func(_ *H, m *M, v string) { m.Education = &household.Education{Stage: v} },
			func(_ *H, m *M) string { return m.Education.Stage }},
		"members[].education.graduating_from": {func(_ *H, m *M, v string) { m.Education = &household.Education{GraduatingFrom: v} },
			func(_ *H, m *M) string { return m.Education.GraduatingFrom }},
		"members[].needs[]": {func(_ *H, m *M, v string) { m.Needs = &household.Needs{v} }, func(_ *H, m *M) string { return (*m.Needs)[0] }},
	}
	require.Len(t, fields, len(household.EnumFields))
	for _, f := range household.EnumFields {
		field, ok := fields[f.Path]
		require.True(t, ok, "the test sets %s", f.Path)
		given := map[string]string{" 不是名称 ": " 不是名称 "} // neither: kept as it is
		for name, code := range f.Names {
			given[name] = code
		}
		for _, code := range f.Codes {
			given[code], given[" "+code+" "] = code, code
		}
		for value, want := range given {
			h := &household.Household{ID: "H", Jurisdiction: "141081", Members: []household.Member{{ID: "M1"}}}
			field.set(h, &h.Members[0], value)
			before, err := json.Marshal(h)
			require.NoError(t, err)
			c := household.Canonical(h)
			assert.Equal(t, want, field.get(c, &c.Members[0]), "%s %q", f.Path, value)
			after, err := json.Marshal(h)
			require.NoError(t, err)
			assert.JSONEq(t, string(before), string(after), "%s %q: the record given is not changed", f.Path, value)
		}
	}
}

// TestCanonicalKeepsWhatIsUnknown: a field left out stays out (unknown is
// not made empty or zero), and everything not an enum is as it was.
func TestCanonicalKeepsWhatIsUnknown(t *testing.T) {
	rec := `{"id":"H","jurisdiction":"侯马市","as_of":"2025-06-30","members":[{"id":"M1","name":"李明","birth_date":"1990-05-01",` +
		`"disability":{"grade":2,"certificate_valid":true},"income":{"wages":"1059.00"},"care":{"needed":true}}]}`
	h, _, err := household.Decode([]byte(rec), household.DecodeOptions{})
	require.NoError(t, err)
	got, err := json.Marshal(household.Canonical(h))
	require.NoError(t, err)
	assert.JSONEq(t, rec, string(got))
	assert.Nil(t, household.Canonical(&household.Household{}).Members, "no members stays no members")
}
