package household

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chinese names of enum values. Caseworkers and the rolls that civil-affairs
// and disabled persons' federation systems export write enum fields in
// Chinese: 户主, 三级, 自主创业, 部分丧失劳动能力. A record may give any enum
// field its code or one of the names listed here (those of the disability
// category and household status are beside their codes in household.go),
// and every reader maps the name to the code: validation, the facts rules
// read, the duplicate check of needs, and the decoders for a grade written
// as text. EnumFields gathers them; the schema lists codes and names alike,
// and TestSchemaListsEveryName keeps the two in step.
//
// Names follow the wording of the household register (户口簿) and of the
// assistance forms: 长子 and 次女 are children; 儿媳 and 女婿, the head's
// parents-in-law (公公, 岳母) and nephews and nieces are other relatives. A
// name that could stand for two codes is left out (本人 is the
// applicant, not always the head): like a name not listed, it is an error
// naming the field, and the caseworker chooses. 无业 has a code of its own,
// not_employed, for it says one thing for certain: the member is not in
// work; so has 灵活就业, flexible: the member is in work; and 务农, farming:
// the member has an occupation.

// relationNames are the names of Relations.
var relationNames = map[string]string{
	"户主": "head",
	"配偶": "spouse", "妻": "spouse", "夫": "spouse", "妻子": "spouse", "丈夫": "spouse",
	"子女": "child", "子": "child", "女": "child", "儿子": "child", "女儿": "child",
	"长子": "child", "次子": "child", "长女": "child", "次女": "child",
	"养子": "child", "养女": "child", "继子": "child", "继女": "child",
	"父母": "parent", "父亲": "parent", "母亲": "parent", "父": "parent", "母": "parent",
	"祖父母": "grandparent", "祖父": "grandparent", "祖母": "grandparent",
	"外祖父母": "grandparent", "外祖父": "grandparent", "外祖母": "grandparent",
	"爷爷": "grandparent", "奶奶": "grandparent", "外公": "grandparent", "外婆": "grandparent",
	"孙子女": "grandchild", "孙子": "grandchild", "孙女": "grandchild",
	"外孙子女": "grandchild", "外孙子": "grandchild", "外孙女": "grandchild", "外孙": "grandchild",
	"兄弟姐妹": "sibling", "兄": "sibling", "弟": "sibling", "姐": "sibling", "妹": "sibling",
	"哥哥": "sibling", "弟弟": "sibling", "姐姐": "sibling", "妹妹": "sibling", "兄弟": "sibling", "姐妹": "sibling",
	"其他": "other", "其他亲属": "other", "儿媳": "other", "儿媳妇": "other", "女婿": "other",
	"公公": "other", "婆婆": "other", "岳父": "other", "岳母": "other",
	"侄子": "other", "侄女": "other", "外甥": "other", "外甥女": "other",
}

// employmentNames are the names of EmploymentStatuses. 无业 (without work)
// is not_employed: it says the member is not in work, but not whether 失业
// or outside the labour force, which rules on 失业 tell apart (engine/facts
// leaves those facts unknown). 灵活就业 (flexible work) is flexible: the
// member is in work, but in a job or self-employed it does not say, which
// rules on 创业 tell apart (engine/facts leaves the status unknown).
var employmentNames = map[string]string{
	"就业": "employed", "已就业": "employed", "在职": "employed", "务工": "employed",
	"打工": "employed", "外出务工": "employed", "职工": "employed", "企业职工": "employed", "公务员": "employed", "公益性岗位": "employed",
	"自主创业": "self_employed", "个体经营": "self_employed", "个体": "self_employed", "个体户": "self_employed", "个体工商户": "self_employed", "经商": "self_employed",
	"失业": "unemployed", "待业": "unemployed", "失业人员": "unemployed", "待业人员": "unemployed",
	"下岗": "unemployed", "下岗失业": "unemployed", "下岗失业人员": "unemployed",
	// A child below school age is outside the labour force, whatever else.
	"非劳动力": "not_in_labour_force", "不在劳动力范围": "not_in_labour_force", "学龄前": "not_in_labour_force", "学龄前儿童": "not_in_labour_force",
	"在校学生": "student", "学生": "student", "在校": "student", "在读": "student",
	"退休": "retired", "离退休": "retired", "离休": "retired", "退休人员": "retired", "离退休人员": "retired",
	// 无 as an occupation, 家务 and 在家: not in work, without saying which.
	"无业": "not_employed", "无业人员": "not_employed", "无工作": "not_employed", "无": "not_employed", "家务": "not_employed", "在家": "not_employed",
	"灵活就业": "flexible", "灵活就业人员": "flexible", "自由职业": "flexible",
	"务农": "farming", "务农人员": "farming", "农民": "farming", "种地": "farming",
}

// workCapacityNames are the names of WorkCapacities.
var workCapacityNames = map[string]string{
	"有劳动能力": "full", "完全劳动能力": "full",
	"部分丧失劳动能力": "partial_loss",
	"完全丧失劳动能力": "total_loss", "丧失劳动能力": "total_loss", "无劳动能力": "total_loss",
}

// stageNames are the names of EducationStages.
var stageNames = map[string]string{
	"无": "none", "未入学": "none", "不在学": "none", "辍学": "none", "失学": "none",
	"学前教育": "preschool", "学前": "preschool", "幼儿园": "preschool",
	"小学": "primary",
	"初中": "junior_secondary",
	"高中": "senior_secondary", "普通高中": "senior_secondary",
	"中职": "secondary_vocational", "中等职业教育": "secondary_vocational", "中专": "secondary_vocational", "职高": "secondary_vocational", "技校": "secondary_vocational",
	"高等教育": "higher", "高校": "higher", "大学": "higher", "大专": "higher", "专科": "higher", "高职": "higher", "本科": "higher",
	"研究生": "higher", "硕士": "higher", "博士": "higher",
}

// graduatingFromNames are the names of GraduatingFrom.
var graduatingFromNames = map[string]string{
	"高校": "higher", "高等院校": "higher", "大学": "higher", "高等教育": "higher", "高职": "higher",
	"中职": "secondary_vocational", "中职院校": "secondary_vocational", "中等职业学校": "secondary_vocational", "中等职业教育": "secondary_vocational",
	"中专": "secondary_vocational", "职高": "secondary_vocational", "技校": "secondary_vocational",
	"无": "none",
}

// needNames are the names of NeedCodes.
var needNames = map[string]string{
	"日间照料": "day_care",
	"托养":   "residential_care", "寄宿制托养": "residential_care", "寄宿托养": "residential_care",
	"康复": "rehabilitation", "康复服务": "rehabilitation",
	"辅助器具": "assistive_device", "辅具": "assistive_device",
	"职业培训": "vocational_training", "职业技能培训": "vocational_training",
}

// propertyTestCodes are the property test's outcomes.
var propertyTestCodes = []string{"pass", "fail"}

// propertyTestNames are the names of the property test's outcomes.
var propertyTestNames = map[string]string{
	"符合": "pass", "通过": "pass",
	"不符合": "fail", "未通过": "fail", "不通过": "fail",
}

// gradeRule is what every message about a bad grade says.
const gradeRule = "disability grade must be 1 to 4 or 一级 to 四级 (GB/T 26341-2010)"

// gradeRuleZh is gradeRule in Chinese.
const gradeRuleZh = "残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）"

// GradeNames are the ways a record may write disability grades 1 to 4 as
// text: the certificate's 一级 to 四级, 1级 to 4级, the digit as a string,
// or the degree GB/T 26341-2010 gives each grade: 极重度 (一级), 中度 (三级),
// 轻度 (四级). Its 重度 (二级) is not read: in policy 重度残疾人 means grade 1
// or 2, so the word alone does not say which (gradeHint).
var GradeNames = map[string]int{
	"一级": 1, "二级": 2, "三级": 3, "四级": 4,
	"1级": 1, "2级": 2, "3级": 3, "4级": 4,
	"1": 1, "2": 2, "3": 3, "4": 4,
	"极重度": 1, "中度": 3, "轻度": 4,
}

// gradeHint is what a refused grade adds when it is 重度: the standard's
// name of grade 2, which policy uses for grades 1 and 2 together.
func gradeHint(got string) (en, zh string) {
	switch strings.Trim(strings.TrimSpace(got), `"`) {
	case "重度", "重度残疾":
		return "; 重度 is grade 2 in GB/T 26341-2010, but 重度残疾人 in policy means grade 1 or 2: write the grade the certificate gives",
			"；GB/T 26341-2010 中二级为重度，而政策所说的重度残疾人指一级或二级：请按残疾人证写等级"
	}
	return "", ""
}

// FlagNames are the words a yes-or-no field may be written with instead of
// true and false, as Chinese forms write them.
var FlagNames = map[string]bool{"是": true, "否": false}

// ParseFlag reads a yes-or-no value written as text (see FlagNames).
func ParseFlag(s string) (v, ok bool) {
	v, ok = FlagNames[s]
	return v, ok
}

// flagRule is what every message about a bad yes-or-no value says.
const flagRule = "must be true or false (是 or 否)"

// flagRuleZh is flagRule in Chinese.
const flagRuleZh = "应为是或否（true 或 false）"

// EnumField is an enum field of the record: its codes and the Chinese names
// a record may give instead.
type EnumField struct {
	// Path is the field's path, [] standing for any element of a list:
	// "members[].relation".
	Path  string
	Codes []string
	// Names maps each Chinese name to its code.
	Names map[string]string
}

// EnumFields lists every enum field of the record. The disability grade,
// a number, is not among them: see GradeNames.
var EnumFields = []EnumField{
	{"residence", residenceCodes, residenceNames},
	{"status[]", StatusCodes, statusAliases},
	{"property_test", propertyTestCodes, propertyTestNames},
	{"members[].relation", Relations, relationNames},
	{"members[].disability.category", categoryCodes, categoryNames},
	{"members[].employment.status", EmploymentStatuses, employmentNames},
	{"members[].work_capacity", WorkCapacities, workCapacityNames},
	{"members[].education.stage", EducationStages, stageNames},
	{"members[].education.graduating_from", GraduatingFrom, graduatingFromNames},
	{"members[].needs[]", NeedCodes, needNames},
}

// residenceCodes are the codes of residence.
var residenceCodes = []string{"urban", "rural"}

// residenceNames are the names of urban and rural.
var residenceNames = map[string]string{"城镇": "urban", "城市": "urban", "农村": "rural", "乡村": "rural",
	"农村牧区": "rural", "牧区": "rural"}

// categoryCodes and categoryNames are the categories' codes and the names
// a record may give: 智力, 智力残疾 and the short name 智残 (categoryShort).
var categoryCodes, categoryNames = func() ([]string, map[string]string) {
	var codes []string
	names := map[string]string{}
	for _, c := range Categories {
		codes = append(codes, c.Code)
		names[c.Zh], names[c.Zh+"残疾"], names[categoryShort(c.Zh)] = c.Code, c.Code, c.Code
	}
	return codes, names
}()

// categoryShort is the short name rolls and case files write for a
// category: its name's first character and 残 (肢残 for 肢体残疾, 视残,
// 听残, 言残, 智残, 精残, 多残). The first characters of the seven names
// differ, so each short name stands for one category.
func categoryShort(zh string) string {
	r, _ := utf8.DecodeRuneInString(zh)
	return string(r) + "残"
}

// normalize maps a code or a name to the code; "" when it is neither.
func normalize(s string, codes []string, names map[string]string) string {
	s = strings.TrimSpace(s)
	for _, c := range codes {
		if s == c {
			return c
		}
	}
	return names[s]
}

// NormalizeRelation maps a relation code or Chinese name (户主, 配偶, 长子…)
// to the code; "" when unknown.
func NormalizeRelation(s string) string { return normalize(s, Relations, relationNames) }

// NormalizeEmployment maps an employment status code or Chinese name
// (就业, 自主创业, 无业…) to the code; "" when unknown.
func NormalizeEmployment(s string) string { return normalize(s, EmploymentStatuses, employmentNames) }

// NormalizeWorkCapacity maps a work-capacity code or Chinese name
// (部分丧失劳动能力…) to the code; "" when unknown.
func NormalizeWorkCapacity(s string) string { return normalize(s, WorkCapacities, workCapacityNames) }

// NormalizeStage maps an education stage code or Chinese name (小学, 中职…)
// to the code; "" when unknown.
func NormalizeStage(s string) string { return normalize(s, EducationStages, stageNames) }

// NormalizeGraduatingFrom maps higher, secondary_vocational or none, or
// 高校, 中职 or 无, to the code; "" when unknown.
func NormalizeGraduatingFrom(s string) string {
	return normalize(s, GraduatingFrom, graduatingFromNames)
}

// NormalizeNeed maps a service need code or Chinese name (日间照料, 康复…)
// to the code; "" when unknown.
func NormalizeNeed(s string) string { return normalize(s, NeedCodes, needNames) }

// NormalizeNeeds returns the needs as codes. The list itself is returned
// when it holds codes only, as it nearly always does; a name not known is
// kept as it is (validation reports it).
func NormalizeNeeds(n Needs) Needs {
	for i, v := range n {
		if c := NormalizeNeed(v); c != v {
			out := append(Needs(nil), n...)
			for j := i; j < len(out); j++ {
				if c := NormalizeNeed(out[j]); c != "" {
					out[j] = c
				}
			}
			return out
		}
	}
	return n
}

// ParseGrade reads a disability grade written as text: 一级 to 四级 or a
// digit 1 to 4.
func ParseGrade(s string) (int, bool) {
	g, ok := GradeNames[strings.TrimSpace(s)]
	return g, ok
}

// UnmarshalJSON reads a disability block whose grade is a number or text
// (三级, "3"), refusing unknown fields as the record's decoder does, or a
// disability written as one text (肢体二级: ParseDisability).
func (d *Disability) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' { // 肢体二级
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if IsNoDisability(s) { // a Member's, read by Decode and DecodeJSONFast
			return Errorf("a disability block cannot say %q; for a member with no disability set disabled to false",
				"残疾信息不能写作 %q；没有残疾的成员请把 disabled（是否残疾人）填为 false", s)
		}
		v, err := disabilityFromText(s)
		if err != nil {
			return err
		}
		*d = *v
		return nil
	}
	type fields Disability // without this method
	var v struct {
		fields
		Grade json.RawMessage `json:"grade"` // shadows fields.Grade
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*d = Disability(v.fields)
	switch g := bytes.TrimSpace(v.Grade); {
	case len(g) == 0 || string(g) == "null":
		d.Grade = nil
	case g[0] == '"':
		var s string
		if err := json.Unmarshal(g, &s); err != nil {
			return err
		}
		n, ok := ParseGrade(s)
		if !ok {
			en, zh := gradeHint(s)
			return Errorf(gradeRule+"; got %q"+en, gradeRuleZh+"；填写的是 %q"+zh, s)
		}
		d.Grade = &n
	default:
		var n int
		if err := json.Unmarshal(g, &n); err != nil {
			return Errorf("disability grade %s is not a whole number", "残疾等级 %s 不是整数", g)
		}
		d.Grade = &n
	}
	return nil
}

// DisabilityTextPattern is the form of a disability written as one text, as
// a certificate's two lines or a roll's column often put it: the category's
// Chinese name and the grade, either way round, each optionally followed by
// 残疾 (肢体二级, 二级肢体残疾, 智力残疾3级, 精神二级残疾), or the category's
// short name and the grade (肢残二级, 二级智残: categoryShort). The schema
// holds the same pattern (TestDisabilityTextPatternInSchema).
const DisabilityTextPattern = `^(?:(视力|听力|言语|肢体|智力|精神|多重)(?:残疾)?([一二三四1-4])级(?:残疾)?|([一二三四1-4])级(视力|听力|言语|肢体|智力|精神|多重)(?:残疾)?|([视听言肢智精多]残)([一二三四1-4])级|([一二三四1-4])级([视听言肢智精多]残))$`

var disabilityText = regexp.MustCompile(DisabilityTextPattern)

// ParseDisability reads a disability written as one text
// (DisabilityTextPattern) into its category code and grade; ok is false
// for any other text. Full-width digits are read as ASCII.
func ParseDisability(s string) (category string, grade int, ok bool) {
	m := disabilityText.FindStringSubmatch(NarrowWidth(s))
	if m == nil {
		return "", 0, false
	}
	cat, g := m[1]+m[4]+m[5]+m[8], m[2]+m[3]+m[6]+m[7]
	grade, _ = ParseGrade(g + "级")
	return NormalizeCategory(cat), grade, true
}

// NoDisabilityPattern is the form of a disability written as the text that
// says the member has none (无, 否, 无残疾, 非残疾人, 不是残疾人, none), as a
// form's or a roll's 残疾情况 does: read as disabled: false. The schema's
// pattern for a disability written as text is this one or
// DisabilityTextPattern (TestDisabilityTextPatternInSchema).
const NoDisabilityPattern = `^(?:无|否|无残疾|非残疾人|不是残疾人|none)$`

var noDisabilityText = regexp.MustCompile(NoDisabilityPattern)

// IsNoDisability reports whether a disability written as text says the
// member has none (NoDisabilityPattern).
func IsNoDisability(s string) bool { return noDisabilityText.MatchString(s) }

// noDisabilityButDisabled is the contradiction of disability: 无 with
// disabled: true (H021), formatted with the text.
const (
	noDisabilityButDisabled   = "disability says the member has none (%q) but disabled is true"
	noDisabilityButDisabledZh = "残疾情况填的是没有残疾（%q），是否残疾人却填的是“是”"
)

// disabilityFromText is the disability block a text gives (ParseDisability).
func disabilityFromText(s string) (*Disability, error) {
	cat, g, ok := ParseDisability(s)
	if !ok {
		return nil, Errorf(disabilityTextRule+"; got %q", disabilityTextRuleZh+"；填写的是 %q", s)
	}
	return &Disability{Category: cat, Grade: &g}, nil
}

// disabilityTextRule says how a disability is written.
const (
	disabilityTextRule   = "a disability is written as an object, e.g. {category: 肢体, grade: 2}, or as its category and grade in one text, e.g. 肢体二级 or 二级肢体残疾, or as 无 for none"
	disabilityTextRuleZh = "残疾情况写成对象，例如 {category: 肢体, grade: 2}，或把类别和等级写在一起，例如 肢体二级、二级肢体残疾，没有残疾的写 无"
)
