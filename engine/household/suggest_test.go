package household

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		{"salary stands for income", []string{"members", "0"}, "salary", "income", true},
		{"alias in upper case", []string{"members", "0"}, "SALARY", "income", true},
		{"grade belongs in disability", []string{"members", "0"}, "grade", "disability", true},
		{"so does certificate_valid", []string{"members", "0"}, "certificate_valid", "disability", true},
		{"level is the grade", []string{"members", "0", "disability"}, "level", "grade", false},
		{"type is the category", []string{"members", "0", "disability"}, "type", "category", false},
		{"ID card number", []string{"members", "0"}, "id_card", "citizen_id", false},
		{"pension enrolment goes in insurance", []string{"members", "0"}, "pension_insurance", "insurance", true},
		{"medical enrolment goes in insurance", []string{"members", "0"}, "resident_medical", "insurance", true},
		// A bare "pension" may be a pension received or the enrolment: the hint names both.
		{"pension alone", []string{"members", "0"}, "pension", "income", true},
		{"a flag for a status", nil, "dibao", "status", true},
		{"a place for the jurisdiction", nil, "county", "jurisdiction", true},
		{"dibao as a key", nil, "低保", "status", true},
		{"残疾情况 is the disability as one text", []string{"members", "0"}, "残疾情况", "disability", true},
		{"残疾类别及等级 at the top is a member's", nil, "残疾类别及等级", "members", true},
		{"tekun for the household", nil, "tekun", "status", true},
		{"户籍 is urban or rural", nil, "户籍", "residence", true},
		{"the hardship assessment", nil, "special_hardship", "hardship_assessed", true},
		{"the property test", nil, "property_ok", "property_test", true},
		// Names nearer in spelling to another field are told the right one.
		{"needs_care is care, not needs", []string{"members", "0"}, "needs_care", "care", true},
		{"severe is the grade, not care", []string{"members", "0"}, "severe", "disability", true},
		{"a certificate held", []string{"members", "0"}, "certified", "disability", true},
		{"unemployed is a status", []string{"members", "0"}, "unemployed", "employment", true},
		{"a student", []string{"members", "0"}, "student", "employment", true},
		{"特困 on a member", []string{"members", "0"}, "特困", "tekun", false},
		{"work injury", []string{"members", "0"}, "work_injury", "work_injury_care_allowance", false},
		// salary has no income at the household's level to stand for.
		{"alias only where its field is", nil, "salary", "", false},
		{"nothing close", []string{"members", "0"}, "favourite_colour", "", false},
		{"inside a value, not an object", []string{"members", "0", "name"}, "x", "", false},
		// Chinese names, as a roll's headers have them: the key to write.
		{"a member's name", []string{"members", "0"}, "姓名", "name", false},
		{"a member's age, a record's field but not a roll's", []string{"members", "0"}, "年龄", "age", false},
		{"an alias of the citizen ID", []string{"members", "0"}, "公民身份号码", "citizen_id", false},
		{"the household's id", nil, "户编号", "id", false},
		{"a member's id", []string{"members", "0"}, "成员编号", "id", false},
		{"a nested field", []string{"members", "0"}, "残疾等级", "disability", true},
		{"a nested field where it is", []string{"members", "0", "disability"}, "残疾等级", "grade", false},
		{"a member's field in the household", nil, "残疾等级", "members", true},
		{"a household field in a member", []string{"members", "0"}, "城乡类别", "", true},
		{"a nested household field", nil, "住房为危房", "housing", true},
		// Spelling is no guide across scripts (it once gave "id" for 姓名).
		{"a Chinese name not known", []string{"members", "0"}, "户籍类型", "", false},
		// A nested field flattened, its words in either order, or its own
		// name one level too high: the object to write it in, and how.
		{"employment_costs", []string{"members", "0"}, "employment_costs", "employment", true},
		{"camelCase and singular", []string{"members", "0"}, "EmploymentCost", "employment", true},
		{"pension_income is income.pension", []string{"members", "0"}, "pension_income", "income", true},
		{"care_months", []string{"members", "0"}, "care_months", "care", true},
		{"a nested field's own name", []string{"members", "0"}, "graduating_year", "education", true},
		{"a household's nested field", nil, "dilapidated", "housing", true},
		{"a nested member field in the household", nil, "employment_costs", "members", true},
		// status is employment.status's name and the household's: no guess.
		{"a leaf that is also a field", []string{"members", "0"}, "status", "", false},
		// A field's name begins or ends the key, word for word.
		{"relation_to_head", []string{"members", "0"}, "relation_to_head", "relation", false},
		{"full_name", []string{"members", "0"}, "full_name", "name", false},
		{"is_ and has_ say yes or no", []string{"members", "0"}, "is_disabled", "disabled", false},
		{"has_disability is the flag", []string{"members", "0"}, "has_disability", "disabled", false},
		{"is_orphan", []string{"members", "0"}, "is_orphan", "orphan_guarantee", false},
		// id is too common a word to go by: id_card_no is the citizen ID.
		{"id_card_no", []string{"members", "0"}, "id_card_no", "citizen_id", false},
		// Hints that once misled: a name far in spelling gets none, or the
		// field it stands for.
		{"orphan_support is not family_support", []string{"members", "0"}, "orphan_support", "orphan_guarantee", false},
		{"blind is not id", []string{"members", "0"}, "blind", "", false},
		{"in_school is not income", []string{"members", "0"}, "in_school", "employment", true},
		{"adcode is not as_of", nil, "adcode", "jurisdiction", true},
		{"edge is not id", nil, "edge", "", false},
		{"veteran is not tekun", []string{"members", "0"}, "veteran", "", false},
		{"care_needs is care, not needs", []string{"members", "0"}, "care_needs", "care", true},
		{"work_injury_care is not care", []string{"members", "0"}, "work_injury_care", "work_injury_care_allowance", false},
		{"a care allowance received", []string{"members", "0"}, "care_allowance", "income", true},
		// A typo of a long name is still caught.
		{"family_supported", []string{"members", "0"}, "family_supported", "family_support", false},
		// Facts no rule reads: the hint says so, and guesses no field.
		{"gender is not needs", []string{"members", "0"}, "gender", "", true},
		{"民族 is not read", []string{"members", "0"}, "民族", "", true},
		{"an address", nil, "Address", "", true},
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

// TestChineseNamesSuggestTheirFields: every Chinese name of a field (and
// of the ids), written as a key where the field is, is told the field:
// the top key of its path there, and the leaf inside the object that holds
// it; and every path is a field of the record.
func TestChineseNamesSuggestTheirFields(t *testing.T) {
	type name struct {
		zh, path string
		member   bool
	}
	var names []name
	for _, f := range FieldNames {
		names = append(names, name{f.Zh, f.Path, f.Member})
	}
	paths := map[string]FieldName{}
	for _, f := range FieldNames {
		paths[f.Path] = f
	}
	for zh, path := range FieldNameAliases {
		f, ok := paths[path]
		require.True(t, ok, "alias %s names %s, which is not in FieldNames", zh, path)
		names = append(names, name{zh, path, f.Member})
	}
	for _, n := range HouseholdIDNames {
		names = append(names, name{n, "id", false})
	}
	for _, n := range MemberIDNames {
		names = append(names, name{n, "id", true})
	}
	for _, n := range names {
		var at []string
		if n.member {
			at = []string{"members", "0"}
		}
		top, rest, nested := strings.Cut(n.path, ".")
		got, _, zh := suggestField(at, n.zh)
		assert.Equal(t, top, got, "%s", n.zh)
		if nested {
			assert.Contains(t, zh, top+": {"+rest+": …}", "%s", n.zh)
			got, _, _ := suggestField(append(at, top), n.zh)
			assert.Equal(t, rest, got, "%s inside %s", n.zh, top)
		}
		assert.True(t, recordHasPath(n.member, n.path), "%s: %s is not a field of the record", n.zh, n.path)
	}
}

// recordHasPath says whether the household (or a member) has the field at
// the dotted path.
func recordHasPath(member bool, path string) bool {
	t := reflect.TypeOf(Household{})
	if member {
		t = reflect.TypeOf(Member{})
	}
	for _, tok := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		f, ok := fieldByJSON(t, tok)
		if !ok {
			return false
		}
		t = f.Type
	}
	return true
}

// TestValueHint: a refused enum value that is a value of one other field
// is told that field; one of several fields (无), or of none, gets no hint.
func TestValueHint(t *testing.T) {
	tests := []struct{ path, value, wantEn string }{
		{"members[].employment.status", "部分丧失劳动能力", `; "部分丧失劳动能力" is a value of work_capacity: write it there`},
		{"members[].employment.status", " 初中 ", `; "初中" is a value of education.stage: write it there`},
		{"members[].relation", "低保户", `; "低保户" is a value of the household's status: write it there`},
		{"status[]", "城镇", `; "城镇" is a value of residence: write it there`},
		{"members[].relation", "无", ""},  // stage, graduating_from, employment
		{"members[].relation", "邻居", ""}, // of no field
		{"members[].relation", "本人", "; 本人 is the applicant: write head (户主) if the applicant is the head of the household, otherwise the applicant's relation to the head"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.value, func(t *testing.T) {
			en, zh := valueHint(tt.path, tt.value)
			assert.Equal(t, tt.wantEn, en)
			assert.Equal(t, tt.wantEn == "", zh == "", "a Chinese hint with the English one: %q", zh)
		})
	}
}

// TestEnumPath: a field's location with its indices left out.
func TestEnumPath(t *testing.T) {
	for in, want := range map[string]string{
		"members[2].relation":        "members[].relation",
		"status[0]":                  "status[]",
		"members[10].needs[3]":       "members[].needs[]",
		"residence":                  "residence",
		"members[0].education.stage": "members[].education.stage",
	} {
		assert.Equal(t, want, enumPath(in), in)
	}
}
