package household

import (
	"slices"
	"strings"
	"unicode"
)

// FieldName is a field of the household record with its Chinese name, as a
// roll's header and the assistance forms write it.
type FieldName struct {
	Member bool   // a member's field (members[]); else the household's
	Path   string // the path inside the household or the member: disability.grade
	Zh     string
}

// FieldNames lists the record's fields with their Chinese names, the
// household's first, in the order of a roll's template: a roll's headers
// (audit.Columns) are these names, and a record given a Chinese name as a
// key is told the field to write instead.
var FieldNames = []FieldName{
	{false, "jurisdiction", "行政区划代码"},
	{false, "residence", "城乡类别"},
	{false, "status", "救助状态"},
	{false, "property_test", "财产状况"},
	{false, "hardship_assessed", "经评估生活仍有困难"},
	{false, "income_history", "月人均收入记录"},
	{false, "as_of", "评估日期"},
	{false, "housing.dilapidated", "住房为危房"},
	{false, "housing.can_self_fund", "有能力自筹建房资金"},
	{false, "housing.seeking_public_rental", "申请公租房"},
	{false, "housing.needs_accessibility_renovation", "有家庭无障碍改造需求"},
	{true, "name", "姓名"},
	{true, "citizen_id", "身份证号"},
	{true, "relation", "与户主关系"},
	{true, "birth_date", "出生日期"},
	{true, "disabled", "是否残疾"},
	{true, "disability.category", "残疾类别"},
	{true, "disability.grade", "残疾等级"},
	{true, "disability.certificate_no", "残疾人证号"},
	{true, "disability.certificate_valid", "残疾人证有效"},
	{true, "disability.lower_limb", "下肢残疾"},
	{true, "disability.autism", "孤独症"},
	{true, "care.needed", "需要照护"},
	{true, "care.long_term", "需要长期照护"},
	{true, "care.months", "照护月数"},
	{true, "income.wages", "工资收入"},
	{true, "income.business", "经营收入"},
	{true, "income.pension", "养老金收入"},
	{true, "income.living_allowance", "领取生活补贴"},
	{true, "income.care_subsidy", "领取护理补贴"},
	{true, "income.other_assistance", "其他社会救助"},
	{true, "income.other", "其他收入"},
	{true, "employment.status", "就业状况"},
	{true, "employment.costs", "就业成本"},
	{true, "employment.sheltered", "辅助性就业"},
	{true, "work_capacity", "劳动能力"},
	{true, "stable_work_income", "有稳定就业收入"},
	{true, "orphan_guarantee", "享受孤儿基本生活保障"},
	{true, "work_injury_care_allowance", "领取工伤保险生活护理费"},
	{true, "other_welfare_subsidy", "享受其他福利性补贴"},
	{true, "family_support", "靠家庭供养"},
	{true, "tekun", "特困供养"},
	{true, "insurance.resident_pension", "参加城乡居民养老保险"},
	{true, "insurance.resident_medical", "参加城乡居民医疗保险"},
	{true, "education.stage", "就学阶段"},
	{true, "education.graduating_year", "毕业年份"},
	{true, "education.graduating_from", "毕业学校类别"},
	{true, "education.in_internship", "正在见习"},
	{true, "education.economic_hardship", "家庭经济困难学生"},
	{true, "needs", "服务需求"},
}

// recordFieldNames are FieldNames and the fields a record may have that a
// roll has no column for: a stated age (a roll gives citizen IDs, which
// settle the age on the audit's date).
var recordFieldNames = append(slices.Clip(FieldNames), FieldName{true, "age", "年龄"})

// FieldNameAliases are other Chinese names that civil-affairs and disabled
// persons' federation systems give the same fields (公民身份号码 for
// 身份证号), by path. Each names one field beyond doubt; a name that could
// mean two is not listed.
var FieldNameAliases = map[string]string{
	"行政区划":   "jurisdiction",
	"区划代码":   "jurisdiction",
	"公民身份号码": "citizen_id",
	"身份证号码":  "citizen_id",
	"身份证":    "citizen_id",
	"生日":     "birth_date",
	"户主关系":   "relation",
	"与户主的关系": "relation",
	"残疾类型":   "disability.category",
	"残疾级别":   "disability.grade",
	"残疾人证号码": "disability.certificate_no",
	"残疾证号":   "disability.certificate_no",
	"残疾证号码":  "disability.certificate_no",
}

// DisabilityTextNames are the Chinese names of a member's disability given
// as its category and grade in one text (残疾情况 肢体二级, 二级智残) or as
// none (无): the record's disability written as text
// (DisabilityTextPattern), which some exports have as one column instead
// of, or beside, 残疾类别 and 残疾等级. A roll reads such a column as those
// two; a record given one of them as a key is told to write disability.
var DisabilityTextNames = []string{"残疾情况", "残疾类别及等级", "残疾类别和等级", "残疾类别等级", "残疾类型及等级", "残疾类型和等级"}

// HouseholdIDNames and MemberIDNames are the Chinese names of the
// household's and a member's id (the record's id fields), the first as a
// roll's header has it.
var (
	HouseholdIDNames = []string{"户编号", "户号", "家庭编号"}
	MemberIDNames    = []string{"成员编号", "成员序号"}
)

// zhKeyHint tells what to write for a key given by a field's Chinese name
// (姓名, 残疾等级) or an id's (户编号, 成员编号). member says whether the key
// is in a member, within is the object it is in there ("" or, say,
// "disability"). It gives the field to write there, and how when the name
// is of a field nested deeper or of the other level (field "" then). ok is
// false for a name it does not know, or one for another object.
func zhKeyHint(name string, member bool, within string) (field, en, zh string, ok bool) {
	if within == "" && (!member && slices.Contains(HouseholdIDNames, name) || member && slices.Contains(MemberIDNames, name)) {
		return "id", "", "", true
	}
	if slices.Contains(DisabilityTextNames, name) {
		field, en, zh, ok := pathHint("disability", true, member, within)
		if ok && en == "" {
			en, zh = "the category and grade in one text: disability: 肢体二级", "类别和等级写在一起：disability: 肢体二级"
		}
		return field, en, zh, ok
	}
	// The field named: by its name, or by the path an alias gives.
	path, ok := FieldNameAliases[name]
	isMember := false
	for _, f := range recordFieldNames {
		if f.Zh == name || ok && f.Path == path {
			path, isMember, ok = f.Path, f.Member, true
			break
		}
	}
	if !ok {
		return "", "", "", false
	}
	return pathHint(path, isMember, member, within)
}

// pathHint tells what to write for a key that stands for the field at path
// (a member's field when isMember), given where the key is: in a member or
// not, and within which object there ("" at the top). ok is false when the
// field cannot be written from there.
func pathHint(path string, isMember, member bool, within string) (field, en, zh string, ok bool) {
	switch {
	case isMember && !member && within == "":
		return "members", "a member's field: write it in each member, members: [{" + yamlOf(path) + "}]",
			"这是成员的字段：写在 members 的每位成员中，members: [{" + yamlOf(path) + "}]", true
	case !isMember && member && within == "":
		return "", "a household field: write it at the top of the record, " + yamlOf(path),
			"这是全户的字段：写在记录的第一层，" + yamlOf(path), true
	case isMember != member:
		return "", "", "", false
	}
	if within != "" {
		rest, inside := strings.CutPrefix(path, within+".")
		if !inside {
			return "", "", "", false
		}
		path = rest
	}
	if top, _, nested := strings.Cut(path, "."); nested {
		return top, "write it as " + yamlOf(path), "写作 " + yamlOf(path), true
	}
	return path, "", "", true
}

// yamlOf is how the field at path is written in YAML: disability: {grade: …}.
func yamlOf(path string) string {
	if top, rest, nested := strings.Cut(path, "."); nested {
		return top + ": {" + rest + ": …}"
	}
	return path + ": …"
}

// nestedKeyHint tells what to write for an English key that names a field
// nested in another object, as people flatten them: the words of its path
// in either order (employment_costs, pension_income, care_months), or,
// where no other field has it, the nested field's own name (costs,
// graduating_year) written one level too high. ok is false when the key
// names no nested field, or more than one.
func nestedKeyHint(name string, member bool, within string) (field, en, zh string, ok bool) {
	words := keyWords(name)
	var match *FieldName
	for _, byLeaf := range []bool{false, true} {
		n := 0
		for i, f := range recordFieldNames {
			top, leaf, nested := strings.Cut(f.Path, ".")
			if !nested {
				continue
			}
			if byLeaf && within == "" && slices.Equal(words, keyWords(leaf)) && uniqueLeaf(leaf) ||
				!byLeaf && sameWords(words, keyWords(top+"_"+leaf)) {
				match, n = &recordFieldNames[i], n+1
			}
		}
		if n > 1 {
			return "", "", "", false
		}
		if match != nil {
			return pathHint(match.Path, match.Member, member, within)
		}
	}
	return "", "", "", false
}

// uniqueLeaf reports whether leaf is the last part of one nested field's
// path only, and the name of no field of the household or a member
// (employment.status's status is also the household's).
func uniqueLeaf(leaf string) bool {
	n := 0
	for _, f := range recordFieldNames {
		if f.Path == leaf {
			return false
		}
		if _, l, nested := strings.Cut(f.Path, "."); nested && l == leaf {
			n++
		}
	}
	return n == 1
}

// keyWords splits a key into its lower-case words, at underscores, hyphens,
// spaces and dots and where camelCase turns to upper case, each without a
// plural s: EmploymentCosts and employment_cost both give employment, cost.
func keyWords(key string) []string {
	var words []string
	word := []rune{}
	flush := func() {
		if w := string(word); w != "" {
			if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
				w = w[:len(w)-1]
			}
			words = append(words, w)
		}
		word = word[:0]
	}
	prevLower := false
	for _, r := range key {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		word = append(word, unicode.ToLower(r))
	}
	flush()
	return words
}

// sameWords reports whether a and b hold the same words, in any order.
func sameWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
