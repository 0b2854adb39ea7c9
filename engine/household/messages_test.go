package household

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProblemsInChinese: every problem a record can have is worded in
// Chinese as well as English, so that a caseworker who reads only Chinese
// learns what is wrong and with which value. Each case reaches one message
// (of the schema's, the decoder's or Validate's) and names a part of its
// Chinese wording.
func TestProblemsInChinese(t *testing.T) {
	member := func(fields string) string {
		return "id: H1\njurisdiction: \"141081\"\nmembers:\n  - id: M1\n" + indent(fields, "    ")
	}
	tests := []struct {
		name, record, field, zh string
		fast                    bool // decode as the batch path does, without the schema
	}{
		// The decoder and the schema.
		{"not UTF-8", "id: H1\njurisdiction: \"\xff\"\n", "", "不是 UTF-8", false},
		{"empty", "# nothing\n", "", "输入为空", false},
		{"bad YAML", "id: [H1\n", "", "YAML 格式错误", false},
		{"bad JSON", `{"id": "H1",}`, "", "JSON 格式错误", false},
		{"not an object", "- 1\n", "", "应是一个对象", false},
		{"required", "id: H1\njurisdiction: \"141081\"\n", "members", "缺少必填字段 \"members\"", false},
		{"unknown field", member("disabilty: {grade: 1}"), "members[0].disabilty", "是否应为 \"disability\"", false},
		{"alias", member("salary: 3000"), "members[0].salary", "是否应为 \"income\"？income.wages：月工资收入（元）", false},
		{"income of the household", "id: H1\njurisdiction: \"141081\"\nper_capita_income: 500\nmembers: [{id: M1}]\n", "per_capita_income", "收入按成员填写：members[].income", false},
		{"object as one value", member("income: 300"), "members[0].income", "各项写在其中，例如 income: {wages: 300, pension: 0}", false},
		{"disability as text", member("disability: 二级"), "members[0].disability", "或把类别和等级写在一起，例如 肢体二级、二级肢体残疾，没有残疾的写 无；填写的是 \"二级\"", false},
		{"disability as yes or no", member("disability: false"), "members[0].disability", "没有残疾的成员写 disabled: false，或 disability: 无", false},
		{"no disability but disabled", member("disabled: 是\ndisability: 无"), "members[0].disability", "残疾情况填的是没有残疾（\"无\"），是否残疾人却填的是“是”", false},
		{"not read", member("性别: 女"), "members[0].性别", "没有规则用到此项，请删去", false},
		{"list of one", "id: H1\njurisdiction: \"141081\"\nstatus: dibao\nmembers: [{id: M1}]\n", "status", "只有一项也写成列表，例如 [dibao]", false},
		{"type", member("care: {months: many}"), "members[0].care.months", "应为整数（或留空），填写的是文字", false},
		{"a number as text", member("age: 57岁"), "members[0].age", "应为整数（或留空），填写的是文字；只写数字，不加引号或单位", false},
		{"minimum", member("care: {months: -1}"), "members[0].care.months", "应不小于 0，填写的是 -1", false},
		{"flag", member("disabled: 也许"), "members[0].disabled", "应为是或否（true 或 false）；填写的是 \"也许\"", false},
		{"enum", "id: H1\njurisdiction: \"141081\"\nresidence: 郊区\nmembers: [{id: M1}]\n", "residence", "城乡类别 \"郊区\" 应为以下之一：城镇（urban）、农村（rural），或格式说明列出的其他中文写法", false},
		{"grade", member("disability: {grade: 5}"), "members[0].disability.grade", "残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）；填写的是 5", false},
		{"grade as text", member("disability: {grade: 五级}"), "members[0].disability.grade", "填写的是 \"五级\"", false},
		{"grade 重度", member("disability: {grade: 重度}"), "members[0].disability.grade", "填写的是 \"重度\"；GB/T 26341-2010 中二级为重度，而政策所说的重度残疾人指一级或二级：请按残疾人证写等级", false},
		{"money", member("income: {wages: 12.345}"), "members[0].income.wages", "最多两位小数", false},
		{"date", member("birth_date: 2020-02-30"), "members[0].birth_date", "\"2020-02-30\" 不是有效日期", false},
		{"date pattern", member("birth_date: 30.2.2020"), "members[0].birth_date", "应为日期", false},
		{"const", "schema_version: 9\nid: H1\njurisdiction: \"141081\"\nmembers: [{id: M1}]\n", "schema_version", "应为 1", false},
		{"enum of statuses", "id: H1\njurisdiction: \"141081\"\nstatus: [小康]\nmembers: [{id: M1}]\n", "status[0]", "救助状态 \"小康\" 应为以下之一：低保（dibao）、低保边缘（dibao_edge）、特困供养（tekun）、低收入（low_income）、脱贫户（poverty_alleviated）、防返贫监测户（monitored），或格式说明列出的其他中文写法", false},
		{"month", "id: H1\njurisdiction: \"141081\"\nincome_history: [{month: 2025-13}]\nmembers: [{id: M1}]\n", "income_history[0].month", "应为月份", false},
		{"citizen ID pattern", member("citizen_id: \"12345\""), "members[0].citizen_id", "17 位数字加 1 位校验码", false},
		{"jurisdiction pattern", "id: H1\njurisdiction: \"1410\"\nmembers: [{id: M1}]\n", "jurisdiction", "6 位 GB/T 2260 代码", false},
		{"no members", "id: H1\njurisdiction: \"141081\"\nmembers: []\n", "members", "一户至少要有一位成员", false},

		// Validate (and, with fast, what it checks for the batch path in
		// the schema's stead).
		{"unknown jurisdiction", "id: H1\njurisdiction: \"110101\"\nmembers: [{id: M1}]\n", "jurisdiction", "行政区划 \"110101\" 不在规则包的适用范围内", false},
		{"schema version", `{"schema_version": 9, "id": "H1", "jurisdiction": "141081", "members": [{"id": "M1"}]}`, "schema_version", "不支持格式版本 9", true},
		{"unknown status", `{"id": "H1", "jurisdiction": "141081", "status": ["小康"], "members": [{"id": "M1"}]}`, "status[0]", "救助状态 \"小康\" 应为以下之一：低保（dibao）、低保边缘（dibao_edge）、特困供养（tekun）、低收入（low_income）、脱贫户（poverty_alleviated）、防返贫监测户（monitored），或格式说明列出的其他中文写法", true},
		{"status twice", "id: H1\njurisdiction: \"141081\"\nstatus: [dibao, 低保户]\nmembers: [{id: M1}]\n", "status[1]", "列了两次", false},
		{"dibao and edge", "id: H1\njurisdiction: \"141081\"\nstatus: [dibao, dibao_edge]\nmembers: [{id: M1}]\n", "status", "低保边缘家庭是指不符合低保条件的家庭", false},
		{"dibao and tekun", "id: H1\njurisdiction: \"141081\"\nstatus: [dibao, tekun]\nmembers: [{id: M1}]\n", "status", "tekun: 是", false},
		{"as_of far", "id: H1\njurisdiction: \"141081\"\nas_of: 2999-01-01\nmembers: [{id: M1}]\n", "as_of", "评估日期 2999-01-01 过于遥远", false},
		{"month twice", "id: H1\njurisdiction: \"141081\"\nincome_history: [{month: 2025-01, per_capita_income: 1}, {month: 2025/1, per_capita_income: 1}]\nmembers: [{id: M1}]\n", "income_history[1].month", "出现了两次", false},
		{"month after", "id: H1\njurisdiction: \"141081\"\nincome_history: [{month: 2025-09, per_capita_income: 1}]\nmembers: [{id: M1}]\n", "income_history[0].month", "晚于评估日期 2025-06-30", false},
		{"duplicate member", "id: H1\njurisdiction: \"141081\"\nmembers: [{id: M1}, {id: M1}]\n", "members[1].id", "成员编号 \"M1\" 已被 members[0] 使用", false},
		{"member id reserved", "id: H1\njurisdiction: \"141081\"\nmembers: [{id: household}]\n", "members[0].id", "成员编号不能是 \"household\"", false},
		{"relation", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "relation": "邻居"}]}`, "members[0].relation", "与户主关系 \"邻居\" 应为以下之一", true},
		{"relation 本人", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "relation": "本人"}]}`, "members[0].relation", "“本人”指申请人：申请人是户主的写 户主（head）", true},
		{"relation 本人, schema", member("relation: 本人"), "members[0].relation", "“本人”指申请人：申请人是户主的写 户主（head）", false},
		{"category 孤独症", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "disability": {"category": "孤独症"}}]}`, "members[0].disability.category", "孤独症不是残疾类别：写残疾人证上的类别，并在“孤独症”一项填“是”（autism: 是）", true},
		{"category 孤独症, schema", member("disability: {category: 孤独症, grade: 2}"), "members[0].disability.category", "孤独症不是残疾类别：写残疾人证上的类别，并在“孤独症”一项填“是”（autism: 是）", false},
		// A value of another field: where it goes.
		{"a work capacity as employment", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "employment": {"status": "部分丧失劳动能力"}}]}`, "members[0].employment.status", "“部分丧失劳动能力”是劳动能力（work_capacity）的取值，应写在该项", true},
		{"a stage as employment, schema", member("employment: {status: 小学}"), "members[0].employment.status", "“小学”是就学阶段（education.stage）的取值，应写在该项", false},
		{"学生 as a stage, schema", member("education: {stage: 学生}"), "members[0].education.stage", "“学生”是就业状况（employment.status）的取值，应写在该项", false},
		{"a household status as a relation", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "relation": "低保户"}]}`, "members[0].relation", "“低保户”是全户的救助状态（status）的取值，应写在该项", true},
		{"category 语言残疾", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "disability": {"category": "语言残疾"}}]}`, "members[0].disability.category", "GB/T 26341-2010 称言语残疾：残疾人证上是言语残疾的，写 言语", true},
		{"category 语残, schema", member("disability: {category: 语残}"), "members[0].disability.category", "写 言语", false},
		{"category 听力语言, schema", member("disability: {category: 听力语言残疾}"), "members[0].disability.category", "将听力残疾与言语残疾分为两类：按残疾人证写 听力 或 言语", false},
		{"long-term care not needed", member("care: {needed: false, long_term: true}"), "members[0].care.long_term", "填的是不需要照护，却填写了需要长期照护", false},
		{"born in the future", member("birth_date: 2031-01-01"), "members[0].birth_date", "晚于今天（今天是 2026-01-15）", false},
		{"born after as_of", member("birth_date: 2025-12-01"), "members[0].birth_date", "晚于评估日期 2025-06-30", false},
		{"born too early", member("birth_date: 1800-01-01"), "members[0].birth_date", "过早", false},
		{"over 120", member("birth_date: 1904-06-30"), "members[0].birth_date", "表明该成员在 2025-06-30 已超过 120 周岁，请核对是否录入有误", false},
		{"check digit", member("citizen_id: \"141081197503120011\""), "members[0].citizen_id", "校验码为 '1'，但按前 17 位应为 '5'", false},
		{"first-generation ID", member("citizen_id: \"141081500312002\""), "members[0].citizen_id", "141081500312002 是 15 位的第一代身份证号码，已按 141081195003120028 读取", false},
		{"first-generation ID, not a date", member("citizen_id: \"141081501332002\""), "members[0].citizen_id", "15 位号码的第 7 至 12 位（501332）不是有效的出生日期", false},
		{"ID birth date", member("citizen_id: \"141081197503120015\"\nbirth_date: 1975-03-13"), "members[0].citizen_id", "公民身份号码中的出生日期为 1975-03-12，但出生日期字段为 1975-03-13", false},
		{"age and birth date", member("birth_date: 1975-03-12\nage: 49"), "members[0].age", "年龄填的是 49 周岁，但按出生日期（1975-03-12）在 2025-06-30 应为 50 周岁", false},
		{"age and ID", member("citizen_id: \"141081197503120015\"\nage: 51"), "members[0].age", "但按公民身份号码中的出生日期（1975-03-12）在 2025-06-30 应为 50 周岁", false},
		{"age on the record's date", "id: H1\njurisdiction: \"141081\"\nas_of: 2024-06-30\nmembers: [{id: M1, birth_date: 1975-03-12, age: 50}]\n", "members[0].age", "在 2024-06-30 应为 49 周岁", false},
		{"age over 120", member("age: 121"), "members[0].age", "年龄 121 周岁超过 120 周岁，请核对是否录入有误", false},
		{"age schema bound", member("age: 151"), "members[0].age", "应不大于 150，填写的是 151", false},
		{"not disabled", member("disabled: false\ndisability: {grade: 1}"), "members[0].disabled", "却填写了残疾信息", false},
		{"category", member("disability: {category: 其他}"), "members[0].disability.category", "残疾类别 \"其他\" 应为以下之一：视力（visual）、听力（hearing）、言语（speech）、肢体（physical）、智力（intellectual）、精神（mental）、多重（multiple），或格式说明列出的其他中文写法", false},
		{"certificate category", member("citizen_id: \"141081197503120015\"\ndisability: {category: mental, certificate_no: \"14108119750312001552\"}"), "members[0].disability.certificate_no", "残疾人证号显示类别为智力（intellectual），但残疾类别填的是精神（mental）", false},
		{"certificate grade", member("disability: {grade: 3, certificate_no: \"14108119750312001552\"}"), "members[0].disability.certificate_no", "残疾人证号显示等级为 2，但残疾等级填的是 3", false},
		{"certificate ID", member("citizen_id: \"141081197503120015\"\ndisability: {certificate_no: \"14108120030920002452\"}"), "members[0].disability.certificate_no", "但公民身份号码填的是 141081197503120015", false},
		{"certificate form", member("disability: {certificate_no: \"X123\"}"), "members[0].disability.certificate_no", "不是第二代格式", false},
		{"lower limb", member("disability: {category: visual, lower_limb: true}"), "members[0].disability.lower_limb", "不是肢体残疾", false},
		{"care months", member("care: {needed: false, months: 3}"), "members[0].care.months", "却填写了照护 3 个月", false},
		{"employment", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "employment": {"status": "打零工"}}]}`, "members[0].employment.status", "就业状况 \"打零工\" 应为以下之一", true},
		{"work capacity", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "work_capacity": "一般"}]}`, "members[0].work_capacity", "劳动能力 \"一般\" 应为以下之一", true},
		{"stage", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "education": {"stage": "夜大"}}]}`, "members[0].education.stage", "就学阶段 \"夜大\" 应为以下之一", true},
		{"graduating from", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "education": {"graduating_from": "夜校"}}]}`, "members[0].education.graduating_from", "毕业学校类别 \"夜校\" 应为以下之一：高等教育（higher）、中等职业教育（secondary_vocational）、无（none），或格式说明列出的其他中文写法", true},
		{"need", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "needs": ["旅游"]}]}`, "members[0].needs[0]", "需求 \"旅游\" 应为以下之一", true},
		// The bounds Validate holds a record decoded without the schema to.
		{"negative wages", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "income": {"wages": -1}}]}`, "members[0].income.wages", "金额不能为负数", true},
		{"age bound", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "age": -1}]}`, "members[0].age", "年龄应为 0 至 150 周岁，填写的是 -1", true},
		{"care months bound", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "care": {"months": 1201}}]}`, "members[0].care.months", "照护月数应为 0 至 1200，填写的是 1201", true},
		{"graduating year bound", `{"id": "H1", "jurisdiction": "141081", "members": [{"id": "M1", "education": {"graduating_year": 1900}}]}`, "members[0].education.graduating_year", "毕业年份应为 1950 至 2100", true},
		{"no members, fast", `{"id": "H1", "jurisdiction": "141081", "members": []}`, "members", "这一户没有成员", true},
		{"jurisdiction form, fast", `{"id": "H1", "jurisdiction": "14108", "members": [{"id": "M1"}]}`, "jurisdiction", "行政区划应为 6 位 GB/T 2260 代码（例如 141081）、9 位或 12 位", true},
	}
	today := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	asOf := NewDate(2025, 6, 30)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var es Errors
			var h *Household
			var err error
			if tt.fast {
				h, err = DecodeJSONFast([]byte(tt.record))
			} else {
				h, _, err = Decode([]byte(tt.record), DecodeOptions{})
			}
			if err == nil {
				errs, warnings := Validate(h, ValidateOptions{Today: today, AsOf: &asOf, KnownJurisdiction: func(c string) bool { return c == "141081" }})
				es = append(errs, warnings...)
			} else {
				require.ErrorAs(t, err, &es)
			}
			require.NotEmpty(t, es, "no problem found")
			var found *Error
			for _, e := range es {
				assert.Regexp(t, `\p{Han}`, e.Zh, "%s: no message in Chinese", e)
				assert.NotEqual(t, e.Msg, e.Zh)
				if e.Field == tt.field && strings.Contains(e.Zh, tt.zh) {
					found = e
				}
			}
			require.NotNil(t, found, "want %s: …%s…; got\n%s", tt.field, tt.zh, localized(es))
			assert.Equal(t, found.Zh, found.Message("zh"))
			assert.Equal(t, found.Msg, found.Message("en"))
			assert.Contains(t, found.Localized("zh"), found.Zh)
			assert.Equal(t, found.Error(), found.Localized("en"))
		})
	}
}

// TestMessageWithoutChinese: a problem with no Chinese message is shown
// in English in both languages, never as an empty message.
func TestMessageWithoutChinese(t *testing.T) {
	e := &Error{Field: "id", Code: CodeSchema, Msg: "something"}
	assert.Equal(t, "something", e.Message("zh"))
	assert.Equal(t, "id: something [H003]", e.Localized("zh"))
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by) + "\n"
}

func localized(es Errors) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s\n", e.Localized("zh"))
	}
	return b.String()
}

// TestOldAgeWarning: a member 121 or older on the evaluation date is
// flagged as a warning (the record is still evaluated); one of 120 is not.
func TestOldAgeWarning(t *testing.T) {
	today := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	asOf := NewDate(2025, 6, 30)
	tests := []struct {
		birth string
		asOf  *Date
		warn  bool
	}{
		{"1905-06-30", &asOf, false}, // 120 on the evaluation date
		{"1904-07-01", &asOf, false}, // 120, a day short of 121
		{"1904-06-30", &asOf, true},  // 121
		{"1905-01-15", nil, true},    // 121 today, with no evaluation date
		{"1990-01-01", &asOf, false},
	}
	for _, tt := range tests {
		t.Run(tt.birth, func(t *testing.T) {
			h, _, err := Decode([]byte("id: H1\njurisdiction: \"141081\"\nmembers:\n  - id: M1\n    birth_date: "+tt.birth+"\n"), DecodeOptions{})
			require.NoError(t, err)
			errs, warnings := Validate(h, ValidateOptions{Today: today, AsOf: tt.asOf, KnownJurisdiction: func(string) bool { return true }})
			assert.Empty(t, errs)
			var codes []Code
			for _, w := range warnings {
				codes = append(codes, w.Code)
			}
			if tt.warn {
				assert.Contains(t, codes, WarnOldAge)
			} else {
				assert.NotContains(t, codes, WarnOldAge)
			}
		})
	}
}
