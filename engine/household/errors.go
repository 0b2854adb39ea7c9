package household

import (
	"fmt"
	"sort"
	"strings"
)

// Code is a stable error or warning code. Each has a page under docs/errors/.
type Code string

// Input error codes (H…) and warnings (W…). They are stable: callers may
// switch on them, and their meaning never changes.
const (
	CodeSyntax          Code = "H001" // not valid JSON or YAML
	CodeUnknownField    Code = "H002" // a field the schema does not know
	CodeSchema          Code = "H003" // a value of the wrong type or shape
	CodeRequired        Code = "H004" // a required field is missing
	CodeJurisdiction    Code = "H010" // jurisdiction not in the rule pack
	CodeGrade           Code = "H011" // disability grade not 1–4
	CodeCategory        Code = "H012" // unknown disability category
	CodeFutureDate      Code = "H013" // a birth date after today or the evaluation date
	CodeCitizenID       Code = "H014" // citizen ID malformed or check digit wrong
	CodeCitizenIDBirth  Code = "H015" // citizen ID birth date differs from birth_date
	CodeDuplicateMember Code = "H016" // two members with one id
	CodeCertificate     Code = "H017" // certificate number contradicts category, grade or ID
	CodeDate            Code = "H018" // not a valid date or month
	CodeMoney           Code = "H019" // not a valid amount of yuan
	CodeIncomeHistory   Code = "H020" // income history month repeated or after the evaluation month
	CodeContradiction   Code = "H021" // two facts that cannot both be true
	CodeEnum            Code = "H022" // a value outside its list of allowed values
	CodeTooLarge        Code = "H023" // record larger than the size limit
	CodeAgeBirth        Code = "H024" // the stated age differs from the birth date's

	WarnCertificateFormat Code = "W001" // certificate number not in the second-generation form; not cross-checked
	WarnStatusConflict    Code = "W002" // statuses that should not go together
	WarnOldAge            Code = "W003" // a birth date or stated age that makes a member over 120
	WarnFirstGenerationID Code = "W004" // a 15-digit first-generation citizen ID, read as 18
)

// Codes lists every input code with a one-line description, in order. The
// docs test checks each has a page under docs/errors/.
var Codes = []struct {
	Code Code
	Zh   string
	En   string
}{
	{CodeSyntax, "不是有效的 JSON 或 YAML", "not valid JSON or YAML"},
	{CodeUnknownField, "记录中有格式未定义的字段", "a field the schema does not define"},
	{CodeSchema, "字段的值类型或形式不对", "a value of the wrong type or shape"},
	{CodeRequired, "缺少必填字段", "a required field is missing"},
	{CodeJurisdiction, "行政区划不在规则包中", "jurisdiction not in the rule pack"},
	{CodeGrade, "残疾等级不是一至四级", "disability grade is not 1 to 4"},
	{CodeCategory, "残疾类别未知", "unknown disability category"},
	{CodeFutureDate, "出生日期晚于今天或评估日期", "birth date after today or the evaluation date"},
	{CodeCitizenID, "公民身份号码格式或校验码错误", "citizen ID malformed or wrong check digit"},
	{CodeCitizenIDBirth, "公民身份号码中的出生日期与出生日期字段不一致", "citizen ID birth date differs from birth_date"},
	{CodeDuplicateMember, "成员编号重复", "two members share an id"},
	{CodeCertificate, "残疾人证号与类别、等级或身份号码不一致", "certificate number contradicts category, grade or citizen ID"},
	{CodeDate, "日期或月份无效", "not a valid date or month"},
	{CodeMoney, "金额无效（元，最多两位小数）", "not a valid amount of yuan"},
	{CodeIncomeHistory, "收入历史月份重复或晚于评估月份", "income history month repeated or after the evaluation month"},
	{CodeContradiction, "两项事实互相矛盾", "two facts contradict each other"},
	{CodeEnum, "取值不在允许的范围内", "value outside the allowed list"},
	{CodeTooLarge, "记录超过大小限制", "record larger than the size limit"},
	{CodeAgeBirth, "填写的年龄与出生日期不一致", "the stated age differs from the birth date's"},
	{WarnCertificateFormat, "残疾人证号不是第二代格式，未作交叉核对", "certificate number not in second-generation form; not cross-checked"},
	{WarnStatusConflict, "救助状态互相矛盾", "statuses that should not go together"},
	{WarnOldAge, "年龄超过 120 周岁，出生日期或年龄可能有误", "over 120 years old; the birth date or age may be mistyped"},
	{WarnFirstGenerationID, "15 位第一代身份证号码，已按 18 位读取", "a 15-digit first-generation citizen ID, read as its 18-character form"},
}

// Summary is the code's one-line description in Chinese and English (as
// Codes lists it); an unknown code gives empty strings.
func (c Code) Summary() (zh, en string) {
	for _, x := range Codes {
		if x.Code == c {
			return x.Zh, x.En
		}
	}
	return "", ""
}

// Error is one problem found in a record, located as precisely as the input
// allows: file, line and column, record number in a batch, and field path.
type Error struct {
	File   string `json:"file,omitempty"`
	Record int    `json:"record,omitempty"` // 1-based record number in a batch
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"` // e.g. members[1].disability.grade
	Code   Code   `json:"code"`
	Msg    string `json:"message"`              // in English
	Zh     string `json:"message_zh,omitempty"` // the same in Chinese
}

// Message returns the problem's message in lang ("zh" or "en"): the
// Chinese one unless lang is "en" or there is none.
func (e *Error) Message(lang string) string {
	if lang != "en" && e.Zh != "" {
		return e.Zh
	}
	return e.Msg
}

// Error renders "file:line:col: field: message [code]", in English.
func (e *Error) Error() string { return e.render(e.Msg) }

// Localized renders the problem as Error does, with the message in lang
// (see Message).
func (e *Error) Localized(lang string) string { return e.render(e.Message(lang)) }

func (e *Error) render(msg string) string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Record > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "record %d", e.Record)
	}
	if e.Line > 0 {
		if e.File != "" && e.Record == 0 {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
		} else {
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "line %d:%d", e.Line, e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	fmt.Fprintf(&b, " [%s]", e.Code)
	return b.String()
}

// Errors is a list of problems, sorted by position. It is returned as a single
// error; callers can range over it.
type Errors []*Error

// Error joins the problems, one per line.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Sort orders the problems by line, column, field and code.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Record != b.Record {
			return a.Record < b.Record
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return a.Code < b.Code
	})
}

// IsWarning reports whether the code is a warning rather than an error.
func (c Code) IsWarning() bool { return strings.HasPrefix(string(c), "W") }
