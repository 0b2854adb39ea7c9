package household

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/money"
)

// schemaNode finds the schema of a field path such as "members[].relation",
// following $ref and list items.
func schemaNode(t *testing.T, path string) map[string]any {
	t.Helper()
	var root map[string]any
	require.NoError(t, json.Unmarshal(SchemaJSON, &root))
	defs := root["$defs"].(map[string]any)
	resolve := func(n map[string]any) map[string]any {
		for {
			ref, ok := n["$ref"].(string)
			if !ok {
				return n
			}
			n = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		}
	}
	n := root
	for _, part := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(part, "[]")
		props, ok := resolve(n)["properties"].(map[string]any)
		require.True(t, ok, "%s: no properties above %s", path, name)
		n, ok = props[name].(map[string]any)
		require.True(t, ok, "%s: the schema has no %s", path, name)
		if list {
			n = n["items"].(map[string]any)
		}
	}
	return resolve(n)
}

// enumOf returns the strings a schema node's enum lists (in an anyOf
// branch too), sorted.
func enumOf(n map[string]any) []string {
	var out []string
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		for _, v := range asList(n["enum"]) {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		for _, b := range asList(n["anyOf"]) {
			walk(b.(map[string]any))
		}
	}
	walk(n)
	sort.Strings(out)
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestSchemaListsEveryName: the published schema accepts exactly the codes
// and Chinese names the Go readers know, field by field, and each name
// stands for one of its field's codes.
func TestSchemaListsEveryName(t *testing.T) {
	for _, f := range EnumFields {
		t.Run(f.Path, func(t *testing.T) {
			want := append([]string(nil), f.Codes...)
			for name, code := range f.Names {
				assert.Contains(t, f.Codes, code, "name %s", name)
				assert.NotContains(t, f.Codes, name, "a name that is also a code")
				want = append(want, name)
			}
			sort.Strings(want)
			assert.Equal(t, want, enumOf(schemaNode(t, f.Path)))
		})
	}
	var grades []string
	for name, g := range GradeNames {
		assert.True(t, g >= 1 && g <= 4, name)
		grades = append(grades, name)
	}
	sort.Strings(grades)
	assert.Equal(t, grades, enumOf(schemaNode(t, "members[].disability.grade")))
}

func TestNormalizeNames(t *testing.T) {
	tests := []struct {
		normalize func(string) string
		in, want  string
	}{
		{NormalizeRelation, "head", "head"},
		{NormalizeRelation, "户主", "head"},
		{NormalizeRelation, " 长子 ", "child"},
		{NormalizeRelation, "女婿", "other"},
		{NormalizeRelation, "外婆", "grandparent"},
		{NormalizeRelation, "姐妹", "sibling"},
		{NormalizeRelation, "岳母", "other"}, // the head's parent-in-law, not the head's parent
		{NormalizeRelation, "邻居", ""},
		{NormalizeEmployment, "自主创业", "self_employed"},
		{NormalizeEmployment, "无业", "not_employed"}, // not in work; 失业 or outside the labour force is not said
		{NormalizeEmployment, "灵活就业", "flexible"},   // in work: a job or self-employment, not said
		{NormalizeEmployment, "个体户", "self_employed"},
		{NormalizeEmployment, "农民", "farming"},    // an occupation, as 务农
		{NormalizeEmployment, "自由职业", "flexible"}, // in work, as 灵活就业
		{NormalizeEmployment, "下岗失业人员", "unemployed"},
		{NormalizeEmployment, "经商", "self_employed"},
		{NormalizeEmployment, "无", "not_employed"},            // 无 as the occupation: not in work
		{NormalizeEmployment, "学龄前儿童", "not_in_labour_force"}, // below school age
		{NormalizeEmployment, "农业", ""},                       // the old hukou kind (农业户口), not an occupation
		{NormalizeRelation, "本人", ""},                         // the applicant, not always the head
		{NormalizeEmployment, "Employed", ""},
		{NormalizeWorkCapacity, "部分丧失劳动能力", "partial_loss"},
		{NormalizeWorkCapacity, "无劳动能力", "total_loss"},
		{NormalizeStage, "中职", "secondary_vocational"},
		{NormalizeStage, "幼儿园", "preschool"},
		{NormalizeGraduatingFrom, "高校", "higher"},
		{NormalizeStage, "高职", "higher"},               // 高等职业教育 is higher education
		{NormalizeStage, "技校", "secondary_vocational"}, // 技工学校 are secondary vocational schools
		{NormalizeGraduatingFrom, "中专", "secondary_vocational"},
		{NormalizeNeed, "日间照料", "day_care"},
		{NormalizeResidence, "乡村", "rural"},
		{NormalizeResidence, " urban", "urban"},
		{NormalizeStatus, "特困供养", "tekun"},
		{NormalizeStatus, "低保户", "dibao"},
		{NormalizeStatus, "防返贫监测对象", "monitored"},
		{NormalizeStatus, "五保户", "tekun"}, // 农村五保供养 became 特困人员救助供养 in 2014
		{NormalizeStatus, "建档立卡脱贫户", "poverty_alleviated"},
		{NormalizeStatus, "特困户", ""}, // 150700's 特困残疾人家庭低保户 are dibao households in special hardship, not 特困供养
		{NormalizeResidence, "农村牧区", "rural"},
		{NormalizeCategory, "精神残疾", "mental"},
		{gradeText, "极重度", "1"},
		{gradeText, "中度", "3"},
		{gradeText, "轻度", "4"},
		{gradeText, "重度", ""}, // the standard's grade 2, policy's grades 1 and 2
		{NormalizeCategory, "肢残", "physical"},
		{NormalizeCategory, "视残", "visual"},
		{NormalizeCategory, "听残", "hearing"},
		{NormalizeCategory, "言残", "speech"},
		{NormalizeCategory, "智残", "intellectual"},
		{NormalizeCategory, "精残", "mental"},
		{NormalizeCategory, "多残", "multiple"},
		{NormalizeCategory, "残疾", ""},
		{NormalizeCategory, "肢残疾", ""},
		{propertyTest, "未通过", "fail"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.normalize(tt.in), tt.in)
	}
	n := Needs{"day_care", "康复"}
	assert.Equal(t, Needs{"day_care", "rehabilitation"}, NormalizeNeeds(n))
	assert.Equal(t, Needs{"day_care", "康复"}, n, "the record's list is not changed")
	codes := Needs{"day_care"}
	assert.Same(t, &codes[0], &NormalizeNeeds(codes)[0], "a list of codes is not copied")
}

// TestGradeAsText: a grade may be written 三级 or "3", through every
// decoder; anything else is refused by each, with the grade's code.
func TestGradeAsText(t *testing.T) {
	record := func(grade string) []byte {
		return []byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"category":"智力","grade":` + grade + `}}]}`)
	}
	for grade, want := range map[string]int{`"三级"`: 3, `"一级"`: 1, `"2级"`: 2, `"4"`: 4, `2`: 2} {
		t.Run(grade, func(t *testing.T) {
			data := record(grade)
			h, _, err := Decode(data, DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, want, *h.Members[0].Disability.Grade)
			fast, err := DecodeJSONFast(data)
			require.NoError(t, err)
			assert.Equal(t, want, *fast.Members[0].Disability.Grade)
			var d Disability
			require.NoError(t, json.Unmarshal([]byte(`{"grade":`+grade+`}`), &d))
			assert.Equal(t, want, *d.Grade)
			sameAsStd(t, data)

			y, _, err := Decode([]byte(fmt.Sprintf("id: H\njurisdiction: '141081'\nmembers:\n  - id: M1\n    disability: {grade: %s}\n", grade)), DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, want, *y.Members[0].Disability.Grade)
		})
	}
	for _, grade := range []string{`"五级"`, `"三"`, `5`, `2.5`, `true`} {
		t.Run(grade, func(t *testing.T) {
			data := record(grade)
			e := theProblem(t, data)
			assert.Equal(t, CodeGrade, e.Code)
			assert.Equal(t, "members[0].disability.grade", e.Field)
			// The fast decoder refuses it, or validation does (the range).
			if h, err := DecodeJSONFast(data); err == nil {
				errs, _ := Validate(h, ValidateOptions{})
				require.Len(t, errs, 1)
				assert.Equal(t, CodeGrade, errs[0].Code)
			}
			sameAsStd(t, data)
		})
	}
	var d Disability
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"grade":1,"colour":"red"}`), &d), "colour", "unknown fields are refused")
	require.NoError(t, json.Unmarshal([]byte(`{"grade":null,"category":"视力"}`), &d))
	assert.Nil(t, d.Grade)
	assert.Equal(t, "视力", d.Category)
}

// decodedEveryWay decodes a JSON record by the schema path and the fast
// path, and a YAML record whose one member's disability is text by the
// schema path; each must succeed.
func decodedEveryWay(t *testing.T, data []byte, text string) []*Household {
	t.Helper()
	h, _, err := Decode(data, DecodeOptions{})
	require.NoError(t, err)
	fast, err := DecodeJSONFast(data)
	require.NoError(t, err)
	y, _, err := Decode([]byte("jurisdiction: '141081'\nmembers:\n  - disability: "+text+"\n"), DecodeOptions{})
	require.NoError(t, err)
	return []*Household{h, fast, y}
}

// TestDisabilityAsText: a disability written as one text, its category and
// grade either way round (肢体二级, 二级肢体残疾), is read by every decoder as
// the block {category, grade}; any other text is refused with the forms
// that are read, and an empty one is unknown.
func TestDisabilityAsText(t *testing.T) {
	record := func(text string) []byte {
		return []byte(`{"jurisdiction":"141081","members":[{"disability":"` + text + `"}]}`)
	}
	for text, want := range map[string]struct {
		category string
		grade    int
	}{
		"肢体二级":   {"physical", 2},
		"二级肢体":   {"physical", 2},
		"二级肢体残疾": {"physical", 2},
		"肢体残疾二级": {"physical", 2},
		"肢体二级残疾": {"physical", 2},
		"视力一级":   {"visual", 1},
		"听力4级":   {"hearing", 4},
		"言语三级":   {"speech", 3},
		"智力残疾３级": {"intellectual", 3},
		"精神二级":   {"mental", 2},
		"多重一级":   {"multiple", 1},
		"1级多重残疾": {"multiple", 1},
		"肢残二级":   {"physical", 2},
		"二级肢残":   {"physical", 2},
		"智残3级":   {"intellectual", 3},
		"一级视残":   {"visual", 1},
		"精残四级":   {"mental", 4},
		"听残２级":   {"hearing", 2},
	} {
		t.Run(text, func(t *testing.T) {
			data := record(text)
			for _, h := range decodedEveryWay(t, data, text) {
				d := h.Members[0].Disability
				require.NotNil(t, d)
				assert.Equal(t, want.category, d.Category)
				require.NotNil(t, d.Grade)
				assert.Equal(t, want.grade, *d.Grade)
			}
			sameAsStd(t, data)
		})
	}
	for _, text := range []string{"二级", "肢体", "肢体五级", "肢体二", "肢体 二级", " 肢体二级", "肢体二级、视力三级", "physical二级", "其他二级",
		"肢残", "肢残二级残疾", "二级肢残残疾", "肢残疾二级", "残二级"} {
		t.Run(text, func(t *testing.T) {
			data := record(text)
			e := theProblem(t, data)
			assert.Equal(t, CodeSchema, e.Code)
			assert.Equal(t, "members[0].disability", e.Field)
			assert.Contains(t, e.Zh, "例如 肢体二级、二级肢体残疾，没有残疾的写 无；填写的是 \""+text+"\"")
			_, err := DecodeJSONFast(data)
			assert.Error(t, err)
			sameAsStd(t, data)
		})
	}
	h, err := DecodeJSONFast(record(""))
	require.NoError(t, err)
	assert.Nil(t, h.Members[0].Disability, "an empty text is unknown")
	h, _, err = Decode(record(""), DecodeOptions{})
	require.NoError(t, err)
	assert.Nil(t, h.Members[0].Disability, "an empty text is unknown")
}

// TestNoDisabilityAsText: a disability written as the text that says there
// is none (无, 非残疾人, none…) is read by every decoder as disabled: false,
// also beside disabled: false or 否, and refused beside disabled: true (H021).
func TestNoDisabilityAsText(t *testing.T) {
	for _, text := range []string{"无", "否", "无残疾", "非残疾人", "不是残疾人", "none"} {
		for _, disabled := range []string{"", `,"disabled":false`, `,"disabled":"否"`, `"disabled":null,`} {
			data := []byte(`{"jurisdiction":"141081","members":[{"disability":"` + text + `"` + disabled + `}]}`)
			if strings.HasSuffix(disabled, ",") { // before the disability
				data = []byte(`{"jurisdiction":"141081","members":[{` + disabled + `"disability":"` + text + `"}]}`)
			}
			t.Run(text+disabled, func(t *testing.T) {
				for _, h := range decodedEveryWay(t, data, text) {
					m := h.Members[0]
					assert.Nil(t, m.Disability)
					disabled, known := m.IsDisabled()
					assert.True(t, known, "none is known")
					assert.False(t, disabled)
				}
				sameAsStd(t, data)
			})
		}
		for _, data := range []string{
			`{"jurisdiction":"141081","members":[{"disability":"` + text + `","disabled":true}]}`,
			`{"jurisdiction":"141081","members":[{"disabled":"是","disability":"` + text + `"}]}`,
		} {
			t.Run(data, func(t *testing.T) {
				e := theProblem(t, []byte(data))
				assert.Equal(t, CodeContradiction, e.Code)
				assert.Equal(t, "members[0].disability", e.Field)
				assert.Contains(t, e.Zh, "残疾情况填的是没有残疾（\""+text+"\"）")
				_, err := DecodeJSONFast([]byte(data))
				assert.ErrorContains(t, err, "disability says the member has none")
			})
		}
	}
	var m Member
	err := json.Unmarshal([]byte(`{"disability":"无"}`), &m)
	assert.ErrorContains(t, err, "set disabled to false", "encoding/json cannot set disabled from the disability, and says what to write")
}

// TestDisabilityTextPatternInSchema: the schema holds the pattern the
// decoders read a disability's text by.
func TestDisabilityTextPatternInSchema(t *testing.T) {
	var doc struct {
		Defs struct {
			Member struct {
				Properties struct {
					Disability struct {
						Pattern string `json:"pattern"`
					} `json:"disability"`
				} `json:"properties"`
			} `json:"member"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(SchemaJSON, &doc))
	assert.Equal(t, NoDisabilityPattern+"|"+DisabilityTextPattern, doc.Defs.Member.Properties.Disability.Pattern)
}

// theProblem decodes a record the schema path refuses and returns its one
// problem.
func theProblem(t *testing.T, data []byte) *Error {
	t.Helper()
	_, _, err := Decode(data, DecodeOptions{})
	var es Errors
	require.ErrorAs(t, err, &es)
	require.Len(t, es, 1)
	return es[0]
}

// TestValidateKnowsNames: validation accepts a Chinese name wherever it
// accepts a code, refuses a name it does not know as it refuses an unknown
// code, and sees a need given by code and by name as listed twice.
func TestValidateKnowsNames(t *testing.T) {
	ok := `{"id":"H","jurisdiction":"141081","residence":"农村","status":["低保"],"property_test":"通过","members":[
		{"id":"M1","relation":"户主","disability":{"category":"肢体","grade":"二级"},"employment":{"status":"个体经营"},
		 "work_capacity":"部分丧失劳动能力","education":{"stage":"无","graduating_from":"中职"},"needs":["日间照料","康复"]}]}`
	h, _, err := Decode([]byte(ok), DecodeOptions{})
	require.NoError(t, err)
	errs, _ := Validate(h, ValidateOptions{})
	assert.Empty(t, errs)

	tests := []struct{ field, json string }{
		{"members[0].relation", `"relation":"邻居"`},
		{"members[0].employment.status", `"employment":{"status":"跑腿"}`},
		{"members[0].work_capacity", `"work_capacity":"弱"`},
		{"members[0].education.stage", `"education":{"stage":"私塾"}`},
		{"members[0].needs[1]", `"needs":["康复","rehabilitation"]`},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			h, err := DecodeJSONFast([]byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1",` + tt.json + `}]}`))
			require.NoError(t, err)
			errs, _ := Validate(h, ValidateOptions{})
			require.Len(t, errs, 1)
			assert.Equal(t, tt.field, errs[0].Field)
		})
	}
}

// TestDatesAsWritten: dates and months are read as records write them and
// as Chinese forms and spreadsheets do, and the schema's patterns accept
// what the parsers read: a record the schema lets through is never refused
// by the parser for its form, nor the other way round.
func TestDatesAsWritten(t *testing.T) {
	var root struct {
		Defs map[string]struct{ Pattern string } `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(SchemaJSON, &root))
	datePattern := regexp.MustCompile(root.Defs["date"].Pattern)
	monthPattern := regexp.MustCompile(schemaNode(t, "income_history[].month")["pattern"].(string))
	dates := map[string]string{
		"2025-06-30": "2025-06-30", "2025-6-3": "2025-06-03", "2025/06/30": "2025-06-30", "2025/6/3": "2025-06-03",
		"1958年11月2日": "1958-11-02", "1958年1月02日": "1958-01-02", "2024-02-29": "2024-02-29",
		"2025-02-29": "", "2025/13/1": "", "2025年6月": "", "25/6/30": "", "2025-06-30 ": "", "2025/6-30": "",
		"2025.6.30": "2025-06-30", "1958.11.02": "1958-11-02", "20250630": "2025-06-30", "19580102": "1958-01-02",
		"2025年6月30": "", "2025-006-30": "", "": "", "2025.13.1": "", "2025.6.30.": "", "2025.6/30": "",
		"20251301": "", "20250230": "", "2025063": "", "202506300": "", "2025 0630": "",
	}
	parseDate := func(s string) (string, error) { d, err := ParseDate(s); return d.String(), err }
	parseMonth := func(s string) (string, error) { m, err := ParseMonth(s); return m.String(), err }
	agreesWithSchema(t, parseDate, datePattern, dates)
	months := map[string]string{
		"2025-03": "2025-03", "2025-3": "2025-03", "2025/3": "2025-03", "2025年3月": "2025-03", "2025年12月": "2025-12",
		"2025.3": "2025-03", "2025.12": "2025-12", "202503": "2025-03", "202512": "2025-12",
		"2025-13": "", "2025年3": "", "2025-03-01": "", "2025/03/": "", "202513": "", "20253": "", "2025.3.": "",
	}
	agreesWithSchema(t, parseMonth, monthPattern, months)
	h, _, err := Decode([]byte("id: H\njurisdiction: '141081'\nas_of: 2025/6/30\nincome_history: [{month: 2025年5月, per_capita_income: 500}]\nmembers:\n  - {id: M1, birth_date: 1958年11月2日}\n"), DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "2025-06-30", h.AsOf.String())
	assert.Equal(t, "2025-05", h.IncomeHistory[0].Month.String())
	assert.Equal(t, "1958-11-02", h.Members[0].BirthDate.String())
	// Unquoted in YAML, eight digits are a number: the message says to
	// quote them.
	_, _, err = Decode([]byte("id: H\njurisdiction: '141081'\nmembers:\n  - {id: M1, birth_date: 19581102}\n"), DecodeOptions{})
	var es Errors
	require.ErrorAs(t, err, &es)
	require.Len(t, es, 1)
	assert.Equal(t, CodeDate, es[0].Code)
	assert.Equal(t, "members[0].birth_date", es[0].Field)
	assert.Contains(t, es[0].Zh, `；请加引号写成文字，例如 "19581102"`)
	assert.Contains(t, es[0].Msg, `; write it in quotes, e.g. "19581102"`)
	h, _, err = Decode([]byte("id: H\njurisdiction: '141081'\nmembers:\n  - {id: M1, birth_date: '19581102'}\n"), DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "1958-11-02", h.Members[0].BirthDate.String())
}

// TestAmountsAsWritten: an amount in text is read as ParseYuan reads it, and
// the schema's patterns (any amount, and one that may not be negative)
// accept the same forms, so that the fast path and the schema path agree.
func TestAmountsAsWritten(t *testing.T) {
	var root struct {
		Defs map[string]struct {
			AnyOf []struct{ Type, Pattern string } `json:"anyOf"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(SchemaJSON, &root))
	pattern := func(def string) *regexp.Regexp {
		for _, b := range root.Defs[def].AnyOf {
			if b.Type == "string" {
				return regexp.MustCompile(b.Pattern)
			}
		}
		t.Fatalf("no string branch in %s", def)
		return nil
	}
	parse := func(s string) (string, error) { v, err := money.ParseYuan(s); return v.Yuan(), err }
	cases := map[string]string{
		"812.50": "812.50", "812.5": "812.50", "812": "812.00", ".5": "0.50", "+7.07": "7.07", " 42 ": "42.00",
		"1,200.00": "1200.00", "12,345,678.90": "12345678.90", "1234567": "1234567.00",
		"100元": "100.00", "¥1,200.00": "1200.00", "¥ 812.5 元": "812.50",
		"812.505": "", "812.": "", "": "", "1e3": "", "12a": "", "1,2.3": "", "1,2345": "", ",100": "",
		"元": "", "¥": "", "100元元": "", "$100": "", "1.00,5": "",
	}
	agreesWithSchema(t, parse, pattern("money"), cases)
	cases["-3"] = "-3.00"
	agreesWithSchema(t, parse, pattern("money"), cases)
	nonNegative := pattern("nonNegativeMoney")
	for in, want := range cases {
		if want != "" && !strings.HasPrefix(want, "-") {
			assert.True(t, nonNegative.MatchString(in), "nonNegativeMoney refuses %q", in)
		}
	}
	assert.False(t, nonNegative.MatchString("-3"))
}

// agreesWithSchema checks a parser on inputs and what it should read them
// as ("" for refused), and that it reads nothing the schema's pattern
// refuses and refuses nothing for its form that the pattern lets through.
func agreesWithSchema(t *testing.T, parse func(string) (string, error), pattern *regexp.Regexp, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		got, err := parse(in)
		if want == "" {
			assert.Error(t, err, in)
		} else if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
			assert.True(t, pattern.MatchString(in), "the schema refuses %q", in)
		}
		if !pattern.MatchString(in) {
			assert.Error(t, err, "the parser reads %q, which the schema refuses", in)
		}
	}
}

// TestFlagsAsWritten: a yes-or-no field may be written 是 or 否, in JSON and
// YAML, on the schema path and the fast one alike; anything else is refused
// with the field and the value.
func TestFlagsAsWritten(t *testing.T) {
	record := func(v string) []byte {
		return []byte(`{"id":"H","jurisdiction":"141081","hardship_assessed":` + v +
			`,"housing":{"dilapidated":` + v + `},"members":[{"id":"M1","tekun":` + v + `,"care":{"needed":` + v + `}}]}`)
	}
	read := func(h *Household) []bool {
		return []bool{*h.HardshipAssessed, *h.Housing.Dilapidated, *h.Members[0].Tekun, *h.Members[0].Care.Needed}
	}
	for v, want := range map[string]bool{`"是"`: true, `"否"`: false, `"\u5426"`: false, `true`: true, `false`: false} {
		t.Run(v, func(t *testing.T) {
			data := record(v)
			h, _, err := Decode(data, DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, []bool{want, want, want, want}, read(h))
			fast, err := DecodeJSONFast(data)
			require.NoError(t, err)
			assert.Equal(t, read(h), read(fast))
			sameAsStd(t, data)
		})
	}
	y, _, err := Decode([]byte("id: H\njurisdiction: '141081'\nhardship_assessed: 是\nhousing: {dilapidated: 否}\nmembers:\n  - {id: M1, tekun: 否, care: {needed: 是}}\n"), DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false, false, true}, read(y))

	for _, v := range []string{`"yes"`, `"是的"`, `" 是"`, `1`, `"true"`} {
		t.Run(v, func(t *testing.T) {
			data := []byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","care":{"needed":` + v + `}}]}`)
			_, _, err := Decode(data, DecodeOptions{})
			var es Errors
			require.ErrorAs(t, err, &es)
			require.Len(t, es, 1)
			assert.Equal(t, "members[0].care.needed", es[0].Field)
			assert.Equal(t, CodeSchema, es[0].Code)
			assert.Contains(t, es[0].Msg, "must be true or false (是 or 否); got "+v)
			_, err = DecodeJSONFast(data)
			assert.ErrorContains(t, err, "true or false (是 or 否)")
		})
	}
}

// TestFlagFieldsAreTheBooleans: flagFields, the schema's $defs/flag fields
// and the *bool fields of the record types are the same set.
func TestFlagFieldsAreTheBooleans(t *testing.T) {
	inGo := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Type == reflect.TypeFor[*bool]() {
				inGo[name] = true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Household]())
	assert.Equal(t, flagFields, inGo, "flagFields and the record's *bool fields")

	inSchema := map[string]bool{}
	var visit func(any)
	visit = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				if p, ok := val.(map[string]any); ok && p["$ref"] == "#/$defs/flag" {
					inSchema[k] = true
				}
				visit(val)
			}
		case []any:
			for _, val := range t {
				visit(val)
			}
		}
	}
	var doc any
	require.NoError(t, json.Unmarshal(SchemaJSON, &doc))
	visit(doc)
	assert.Equal(t, flagFields, inSchema, "flagFields and the schema's $defs/flag fields")
}

// TestDigitsAsWritten: in YAML, ids, the jurisdiction, citizen IDs and
// certificate numbers may be left unquoted, and keep their digits as
// written (a 20-digit certificate number would be a float that loses
// them); JSON, where quotes are deliberate, still wants strings.
func TestDigitsAsWritten(t *testing.T) {
	record := "id: 12\njurisdiction: 141081\nmembers:\n  - id: 007\n    name: 1\n    citizen_id: 141081200309200024\n" +
		"    disability: {category: 智力, grade: 2, certificate_no: 14108120030920002452}\n  - id: '2'\n"
	h, _, err := Decode([]byte(record), DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "12", h.ID)
	assert.Equal(t, "141081", h.Jurisdiction)
	assert.Equal(t, "007", h.Members[0].ID)
	assert.Equal(t, "1", h.Members[0].Name)
	assert.Equal(t, "141081200309200024", h.Members[0].CitizenID)
	assert.Equal(t, "14108120030920002452", h.Members[0].Disability.CertificateNo)
	assert.Equal(t, "2", h.Members[1].ID)
	errs, _ := Validate(h, ValidateOptions{})
	assert.Empty(t, errs, "the certificate number agrees with the citizen ID, category and grade")

	// Other numbers stay numbers: a grade, care months.
	_, _, err = Decode([]byte("id: H\njurisdiction: 141081\nmembers:\n  - {id: M1, care: {months: 12}, relation: 1}\n"), DecodeOptions{})
	var es Errors
	require.ErrorAs(t, err, &es)
	require.Len(t, es, 1)
	assert.Equal(t, "members[0].relation", es[0].Field, "relation is not an id: 1 is not a relation")

	_, _, err = Decode([]byte(`{"id":"H","jurisdiction":141081,"members":[{"id":"M1"}]}`), DecodeOptions{})
	require.ErrorAs(t, err, &es)
	assert.Equal(t, "jurisdiction", es[0].Field)
	assert.Equal(t, CodeSchema, es[0].Code)
}

// gradeText is ParseGrade as a normalize function: the grade's digit, or
// "" when the text is no grade.
func gradeText(s string) string {
	if g, ok := ParseGrade(s); ok {
		return strconv.Itoa(g)
	}
	return ""
}
