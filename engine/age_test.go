package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// TestStatedAge: a member's age may be stated instead of the birth date
// (大石桥市 二(一)4, the 55—59 allowance, turns on it). It is the age on the
// record's as_of date, or on the evaluation date when the record has none;
// another evaluation date gives an age only when it settles it, and
// otherwise the birth date is asked for.
func TestStatedAge(t *testing.T) {
	const member = "    disability: {category: 肢体, grade: 二级, certificate_valid: true}\n    insurance: {resident_pension: 是}\n"
	record := func(asOf, age string) string {
		s := "jurisdiction: 大石桥市\nresidence: rural\n"
		if asOf != "" {
			s += "as_of: " + asOf + "\n"
		}
		return s + "members:\n  - age: " + age + "\n" + member
	}
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		require.NoError(t, err)
		return d
	}
	tests := []struct {
		name    string
		record  string
		asOf    string // the evaluation date given as an option, if any
		age     any    // the derived age: an int, or nil when unknown
		status  engine.Status
		missing string // the field asked for, when undetermined
	}{
		{"on the record's date", record("2024-05-01", "57"), "", 57, engine.Eligible, ""},
		{"on the evaluation date, the record having none", record("", "57"), "2024-05-01", 57, engine.Eligible, ""},
		{"too young", record("2024-05-01", "54"), "", 54, engine.Ineligible, ""},
		{"too old", record("2024-05-01", "60"), "", 60, engine.Ineligible, ""},
		{"a year after the record's date, to the day", record("2024-05-01", "58"), "2025-05-01", 59, engine.Eligible, ""},
		{"months after the record's date: the birthday may have passed", record("2024-05-01", "57"), "2024-12-01", nil, engine.Undetermined, "members[0].birth_date"},
		{"two years after, to the day", record("2024-05-01", "59"), "2026-05-01", 61, engine.Ineligible, ""},
	}
	e := testengine.Engine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []engine.EvalOption
			if tt.asOf != "" {
				opts = append(opts, engine.AsOf(day(tt.asOf)))
			}
			res, err := e.EvaluateRecord(context.Background(), []byte(tt.record), household.DecodeOptions{File: "age.yaml"}, opts...)
			require.NoError(t, err)
			var age *engine.DerivedFact
			for i := range res.Derived {
				if res.Derived[i].Name == "member.age" {
					age = &res.Derived[i]
				}
			}
			require.NotNil(t, age, "the age is a derived fact")
			if tt.age == nil {
				assert.Nil(t, age.Value)
				require.NotEmpty(t, age.Missing)
				assert.Equal(t, "members[0].birth_date", age.Missing[0].Field)
			} else {
				assert.EqualValues(t, tt.age, age.Value)
			}
			d, ok := res.Determination("severe_disability_55_59_allowance", "M1")
			require.True(t, ok)
			assert.Equal(t, tt.status, d.Status)
			if tt.missing != "" {
				var fields []string
				for _, m := range d.Missing {
					fields = append(fields, m.Field)
				}
				assert.Equal(t, []string{tt.missing}, fields)
			}
		})
	}
}

// TestStatedAgeMustAgree: an age that differs from the birth date's on the
// record's date is refused (H024); one that agrees changes nothing.
func TestStatedAgeMustAgree(t *testing.T) {
	e := testengine.Engine(t)
	rec := func(age string) []byte {
		return []byte("jurisdiction: \"210882\"\nas_of: 2024-05-01\nmembers:\n  - citizen_id: \"141081197503120015\"\n    age: " + age + "\n")
	}
	_, err := e.EvaluateRecord(context.Background(), rec("48"), household.DecodeOptions{File: "age.yaml"})
	var es household.Errors
	require.ErrorAs(t, err, &es)
	require.Len(t, es, 1)
	assert.Equal(t, household.CodeAgeBirth, es[0].Code)
	assert.Equal(t, "members[0].age", es[0].Field)
	assert.Equal(t, 5, es[0].Line)

	// Born 1975-03-12: 49 on the record's date, 50 on a later evaluation date.
	res, err := e.EvaluateRecord(context.Background(), rec("49"), household.DecodeOptions{File: "age.yaml"}, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	for _, d := range res.Derived {
		if d.Name == "member.age" {
			assert.EqualValues(t, 50, d.Value, "the birth date settles the age on any date")
		}
	}
}
