package household

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSuggestField: an unknown field gets the field it most likely stands
// for, by spelling or by a name people often use instead, and only where
// that field exists.
func TestSuggestField(t *testing.T) {
	tests := []struct {
		name     string
		location []string
		unknown  string
		want     string
		why      bool // the hint says why (an alias, not a typo)
	}{
		{"typo", []string{"members", "0"}, "disabilty", "disability", false},
		{"typo in upper case", []string{"members", "0"}, "Birth_Date", "birth_date", false},
		{"age stands for birth_date", []string{"members", "0"}, "age", "birth_date", true},
		{"alias in upper case", []string{"members", "0"}, "AGE", "birth_date", true},
		{"grade belongs in disability", []string{"members", "0"}, "grade", "disability", true},
		{"level is the grade", []string{"members", "0", "disability"}, "level", "grade", false},
		{"type is the category", []string{"members", "0", "disability"}, "type", "category", false},
		{"ID card number", []string{"members", "0"}, "id_card", "citizen_id", false},
		{"pension enrolment goes in insurance", []string{"members", "0"}, "pension_insurance", "insurance", true},
		{"medical enrolment goes in insurance", []string{"members", "0"}, "resident_medical", "insurance", true},
		// A bare "pension" may be a pension received or the enrolment: the hint names both.
		{"pension alone", []string{"members", "0"}, "pension", "income", true},
		{"a flag for a status", nil, "dibao", "status", true},
		{"a place for the jurisdiction", nil, "county", "jurisdiction", true},
		// age has no birth_date at the household's level to stand for.
		{"alias only where its field is", nil, "age", "", false},
		{"nothing close", []string{"members", "0"}, "favourite_colour", "", false},
		{"inside a value, not an object", []string{"members", "0", "name"}, "x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, en, zh := suggestField(tt.location, tt.unknown)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.why, en != "", "English reason %q", en)
			assert.Equal(t, tt.why, zh != "", "Chinese reason %q", zh)
		})
	}
}

// TestFieldAliasesExist: every alias names a field of the record, so that
// no hint points at a field the schema does not have.
func TestFieldAliasesExist(t *testing.T) {
	known := map[string]bool{}
	for _, v := range []any{Household{}, Member{}, Disability{}, Income{}, Employment{}, Housing{}, Care{}} {
		for _, name := range jsonNames(v) {
			known[name] = true
		}
	}
	for alias, a := range fieldAliases {
		assert.True(t, known[a.field], "alias %q points at %q, which no part of the record has", alias, a.field)
		assert.Equal(t, a.en == "", a.zh == "", "alias %q: the reason must be given in both languages or neither", alias)
	}
}

func jsonNames(v any) []string {
	t := reflect.TypeOf(v)
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = jsonName(t.Field(i))
	}
	return names
}
