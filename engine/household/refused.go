package household

// What a refused value is told: the values its field takes, by their
// Chinese names (refusedValue), and what the value means or where it
// belongs (valueHint).

import (
	"fmt"
	"strings"
)

// relationHint is what a refused relation adds when it is a word with a
// meaning of its own that the list leaves out: 本人, the applicant, who is
// not always the head.
func relationHint(v string) (en, zh string) {
	if strings.TrimSpace(v) == "本人" {
		return "; 本人 is the applicant: write head (户主) if the applicant is the head of the household, otherwise the applicant's relation to the head",
			"；“本人”指申请人：申请人是户主的写 户主（head），否则写申请人与户主的关系"
	}
	return "", ""
}

// categoryHint is what a refused disability category adds when it is a
// word forms use that GB/T 26341-2010 does not have as a category: 孤独症,
// a diagnosis the record gives as autism: true beside the category,
// 听力语言, an older combined category that the standard has as two, and
// 语言 (语言残疾, 语残), the everyday word for what the standard calls 言语.
func categoryHint(v string) (en, zh string) {
	switch strings.TrimSuffix(strings.TrimSpace(v), "残疾") {
	case "孤独症", "自闭症", "autism":
		return "; autism (孤独症) is not a category: write the category the certificate gives, and autism: true",
			"；孤独症不是残疾类别：写残疾人证上的类别，并在“孤独症”一项填“是”（autism: 是）"
	case "听力语言", "听力言语":
		return "; GB/T 26341-2010 has 听力 (hearing) and 言语 (speech) as two categories: write the one the certificate gives",
			"；GB/T 26341-2010 将听力残疾与言语残疾分为两类：按残疾人证写 听力 或 言语"
	case "语言", "语残":
		return "; GB/T 26341-2010 calls a disability of speech 言语残疾: if the certificate says so, write 言语 (speech)",
			"；GB/T 26341-2010 称言语残疾：残疾人证上是言语残疾的，写 言语"
	}
	return "", ""
}

// valueHint is what a refused enum value adds, the field given as an
// EnumFields path (members[].relation): for 本人 and for 孤独症 or 听力语言
// as a category, what they mean; for a value of another enum field
// (部分丧失劳动能力 as an employment status, 小学 as one, 学生 as a stage),
// the field it belongs in.
func valueHint(path, v string) (en, zh string) {
	switch path {
	case "members[].relation":
		if en, zh := relationHint(v); en != "" {
			return en, zh
		}
	case "members[].disability.category":
		if en, zh := categoryHint(v); en != "" {
			return en, zh
		}
	}
	var fields []string
	for _, f := range EnumFields {
		if f.Path != path && normalize(v, f.Codes, f.Names) != "" {
			fields = append(fields, f.Path)
		}
	}
	if len(fields) != 1 {
		return "", "" // none, or a word of several fields (无)
	}
	name := fieldName(fields[0])
	label := fieldLabel(name)
	whose, whoseZh := "", ""
	if strings.HasPrefix(path, "members[].") && !strings.HasPrefix(fields[0], "members[].") {
		whose, whoseZh = "the household's ", "全户的"
	}
	v = strings.TrimSpace(v)
	return fmt.Sprintf("; %q is a value of %s%s: write it there", v, whose, name),
		fmt.Sprintf("；“%s”是%s%s（%s）的取值，应写在该项", v, whoseZh, label, name)
}

// enumPath is a field's location as EnumFields gives it: members[2].relation
// is members[].relation.
func enumPath(field string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(field, '[')
		end := strings.IndexByte(field[open+1:], ']')
		if open < 0 || end < 0 {
			break
		}
		b.WriteString(field[:open+1])
		field = field[open+1+end:]
	}
	b.WriteString(field)
	return b.String()
}

// refusedValue is the message of a value v that the enum field at path (an
// EnumFields path: members[].relation) does not take, alike on both
// decoding paths: the field, the value and the values the field takes, in
// Chinese each code's name with the code after it (户主（head）), the
// names caseworkers write, in English the codes; then, where valueHint
// knows, what the value means or where it belongs.
func refusedValue(path, v string) (en, zh string) {
	var codes []string
	if f := enumField(path); f != nil {
		codes = f.Codes
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		l, _ := ValueLabel(c, "zh")
		names[i] = l + "（" + c + "）"
	}
	name := fieldName(path)
	hintEn, hintZh := valueHint(path, v)
	return fmt.Sprintf("%s %q must be one of %s, or a Chinese name of one (see the schema)%s", name, v, strings.Join(codes, ", "), hintEn),
		fmt.Sprintf("%s %q 应为以下之一：%s，或格式说明列出的其他中文写法%s", fieldLabel(name), v, strings.Join(names, "、"), hintZh)
}

// fieldName is the field at an EnumFields path as written in a member or
// in the household: work_capacity, employment.status, status.
func fieldName(path string) string {
	return strings.TrimSuffix(strings.TrimPrefix(path, "members[]."), "[]")
}

// fieldLabel is the Chinese name of the field at name (a path in a member
// or in the household, FieldNames), or name when it has none.
func fieldLabel(name string) string {
	for _, f := range recordFieldNames {
		if f.Path == name {
			return f.Zh
		}
	}
	return name
}

// enumField is the field of EnumFields at path, or nil.
func enumField(path string) *EnumField {
	for i := range EnumFields {
		if EnumFields[i].Path == path {
			return &EnumFields[i]
		}
	}
	return nil
}
