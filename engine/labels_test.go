package engine_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func TestFieldLabel(t *testing.T) {
	tests := []struct{ path, zh, en string }{
		{"members[0].care.needed", "第 1 位成员：是否因残疾需要照护", "member 1: whether care is needed because of disability"},
		{"members[2].id", "第 3 位成员：成员编号", "member 3: member id"},
		{"members[1]", "第 2 位成员", "member 2"},
		{"members", "家庭成员", "members"},
		{"members[0].needs[3]", "第 1 位成员：服务需求中的一项", "member 1: a service need"},
		{"id", "户编号", "household id"},
		{"housing.dilapidated", "住房是否为危房", "whether the home is dilapidated"},
		{"income_history[4].month", "收入历史：月份", "income history: month"},
		{"status[0]", "救助状态中的一项", "an assistance status"},
		// A month missing from the history, as results list it.
		{"income_history[2025-03]", "2025-03 的家庭人均收入（收入历史）", "per-capita income of 2025-03 (income history)"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			l, ok := engine.FieldLabel(tt.path)
			require.True(t, ok)
			assert.Equal(t, tt.zh, l.Zh)
			assert.Equal(t, tt.en, l.En)
		})
	}
	for _, path := range []string{"members[0].nickname", "salary", "members[x].id", "", "income_history[2025-13]", "income_history[march]"} {
		_, ok := engine.FieldLabel(path)
		assert.False(t, ok, path)
	}
}

// TestFieldLabelsCoverTheSchema: every field of the household schema has a
// label, so no message about a record names a field by its path alone.
func TestFieldLabelsCoverTheSchema(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(household.SchemaJSON, &doc))
	defs := doc["$defs"].(map[string]any)
	resolve := func(v map[string]any) map[string]any {
		for v["$ref"] != nil {
			v = defs[strings.TrimPrefix(v["$ref"].(string), "#/$defs/")].(map[string]any)
		}
		return v
	}
	var paths []string
	var walk func(props map[string]any, prefix string)
	walk = func(props map[string]any, prefix string) {
		for k, raw := range props {
			path := prefix + k
			paths = append(paths, path)
			v := resolve(raw.(map[string]any))
			var shapes []any
			shapes = append(shapes, v)
			if alts, ok := v["anyOf"].([]any); ok {
				shapes = append(shapes, alts...)
			}
			for _, s := range shapes {
				s := resolve(s.(map[string]any))
				if sub, ok := s["properties"].(map[string]any); ok {
					walk(sub, path+".")
				}
				if items, ok := s["items"].(map[string]any); ok {
					paths = append(paths, path+"[0]")
					if sub, ok := resolve(items)["properties"].(map[string]any); ok {
						walk(sub, path+"[0].")
					}
				}
			}
		}
	}
	walk(doc["properties"].(map[string]any), "")
	require.Greater(t, len(paths), 60, "the walk reaches the members' fields")
	for _, p := range paths {
		_, ok := engine.FieldLabel(p)
		assert.True(t, ok, "no label for %s", p)
	}
}

func TestProblemWords(t *testing.T) {
	meaning := rulepack.Text{Zh: "残疾等级不是一至四级", En: "disability grade is not 1 to 4"}
	w := engine.ProblemWords("members[0].disability.grade", meaning)
	assert.Equal(t, "第 1 位成员：残疾等级 —— 残疾等级不是一至四级", w.Zh)
	assert.Equal(t, "member 1: disability grade: disability grade is not 1 to 4", w.En)
	assert.Equal(t, meaning, engine.ProblemWords("", meaning), "no field: the meaning alone")
	assert.Equal(t, meaning, engine.ProblemWords("members[0].colour", meaning), "a field the record does not have")
}

// TestWarningsInWords: a full result's warnings carry the message in
// Chinese, which the Chinese report prints, and the code's summary and the
// field's label, which it prints under each; a lean result leaves them out.
func TestWarningsInWords(t *testing.T) {
	eng := testengine.Engine(t)
	record := []byte("id: H\njurisdiction: '141081'\nas_of: 2025-06-30\nmembers:\n  - {id: M1, disability: {category: physical, grade: 2, certificate_no: 'X-1'}}\n")
	res, err := eng.EvaluateRecord(context.Background(), record, household.DecodeOptions{})
	require.NoError(t, err)
	require.Len(t, res.Warnings, 1)
	w := res.Warnings[0]
	assert.Equal(t, "W001", w.Code)
	require.NotNil(t, w.Summary)
	assert.Equal(t, "残疾人证号不是第二代格式，未作交叉核对", w.Summary.Zh)
	require.NotNil(t, w.Label)
	assert.Equal(t, "第 1 位成员：残疾人证号（或证件是否有效）", w.Label.Zh)

	var zh, en strings.Builder
	require.NoError(t, report.Write(&zh, res, report.Options{Lang: "zh"}))
	require.NoError(t, report.Write(&en, res, report.Options{Lang: "en"}))
	assert.Equal(t, `残疾人证号 "X-1" 不是第二代格式（公民身份号码加类别、等级各一位数字），未与类别和等级交叉核对`, w.MessageZh)
	assert.Contains(t, zh.String(), "[W001] members[0].disability.certificate_no: "+w.MessageZh+"\n")
	assert.Contains(t, en.String(), "[W001] members[0].disability.certificate_no: "+w.Message+"\n")
	assert.Contains(t, zh.String(), "\n         第 1 位成员：残疾人证号（或证件是否有效） —— 残疾人证号不是第二代格式，未作交叉核对\n")
	assert.NotContains(t, en.String(), "第 1 位成员")

	lean, err := eng.EvaluateRecord(context.Background(), record, household.DecodeOptions{}, engine.Lean())
	require.NoError(t, err)
	require.Len(t, lean.Warnings, 1)
	assert.Empty(t, lean.Warnings[0].MessageZh)
	assert.Nil(t, lean.Warnings[0].Summary)
	assert.Nil(t, lean.Warnings[0].Label)
}

// TestMissingEmploymentStatusLabel: where the record's employment status
// leaves open what a rule turns on, the checklist asks in words that say
// what the record holds, not for a status the record already gives: 无业
// does not say whether 失业 (the internship subsidy); 灵活就业 does not say
// whether the graduate starts a business (求职或创业); 务农 does not say
// whether farming counts as work (零就业家庭). A member with no status is
// asked for it plainly.
func TestMissingEmploymentStatusLabel(t *testing.T) {
	eng := testengine.Engine(t)
	youth := func(employment string) string {
		return "id: H\njurisdiction: '141081'\nas_of: 2025-06-30\nmembers:\n" +
			"  - {id: M1, name: 李明, birth_date: 2004-01-01, disability: {category: physical, grade: 3, certificate_no: C1},\n" +
			"     employment: {" + employment + "}, education: {in_internship: true, graduating_from: none}}\n"
	}
	notEmployedZh := "成员 M1（李明）：就业状态：记录为无业，是失业还是不在劳动力范围"
	notEmployedEn := "member M1 (李明): employment status: recorded as 无业 (not in work); unemployed, or outside the labour force"
	for _, tt := range []struct{ name, record, benefit, zh, en string }{
		{"无业", youth("status: 无业"), "youth_internship_subsidy", notEmployedZh, notEmployedEn},
		{"not_employed", youth("status: not_employed"), "youth_internship_subsidy", notEmployedZh, notEmployedEn},
		{"no status", youth("costs: 0"), "youth_internship_subsidy", "成员 M1（李明）：就业状态", "member M1 (李明): employment status"},
		{"灵活就业", "id: H\njurisdiction: '210882'\nas_of: 2025-06-30\nmembers:\n" +
			"  - {id: M1, name: 李明, birth_date: 2002-01-01, disability: {category: physical, grade: 3, certificate_no: C1},\n" +
			"     employment: {status: 灵活就业}, education: {stage: none, graduating_year: 2025, graduating_from: higher}}\n",
			"graduate_job_subsidy",
			"成员 M1（李明）：就业状态：记录为灵活就业，是受雇就业还是自主创业",
			"member M1 (李明): employment status: recorded as 灵活就业 (flexible work); employed, or self-employed"},
		{"务农", "id: H\njurisdiction: '210882'\nas_of: 2025-06-30\nresidence: rural\nmembers:\n" +
			"  - {id: M1, name: 王强, birth_date: 1980-01-01, work_capacity: full, disability: {category: physical, grade: 3, certificate_no: C1},\n" +
			"     employment: {status: 务农}}\n",
			"zero_employment_household_assistance",
			"成员 M1（王强）：就业状态：记录为务农，此处是否按就业认定",
			"member M1 (王强): employment status: recorded as 务农 (farming); whether it counts as work here"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := eng.EvaluateRecord(context.Background(), []byte(tt.record), household.DecodeOptions{})
			require.NoError(t, err)
			var d *engine.Determination
			for i := range res.Determinations {
				if res.Determinations[i].Benefit == tt.benefit {
					d = &res.Determinations[i]
				}
			}
			require.NotNil(t, d)
			assert.Equal(t, engine.Undetermined, d.Status)
			require.Len(t, d.Missing, 1, "only the employment status is open")
			assert.Equal(t, "members[0].employment.status", d.Missing[0].Field)
			assert.Equal(t, tt.zh, d.Missing[0].Label.Zh)
			assert.Equal(t, tt.en, d.Missing[0].Label.En)
		})
	}
}
