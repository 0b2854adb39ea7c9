package household

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"entitle/engine/internal/editdist"
	"entitle/engine/money"
)

// ValidateOptions tune Validate.
type ValidateOptions struct {
	// Today is the current date, for "birth date in the future". Zero means
	// the wall clock.
	Today time.Time
	// AsOf is the evaluation date, when known: a member cannot be born after
	// it and the income history cannot reach past its month.
	AsOf *Date
	// KnownJurisdiction reports whether the rule pack covers the area a
	// record names, by code or by name; nil skips the check.
	KnownJurisdiction func(codeOrName string) bool
	// CoveredJurisdictions lists the areas the pack covers, for the problem
	// of a record naming another.
	CoveredJurisdictions []Area
}

// Area is an area a rule pack covers, as a message lists it: its code and
// its name in Chinese and English.
type Area struct{ Code, Zh, En string }

// oldAge is the age past which a birth date is flagged as a likely typing
// mistake (W003): no one is known to have lived much beyond it.
const oldAge = 120

// Validate checks what the schema cannot: check digits, cross-checks between
// facts, dates against today, unique ids. It returns errors (the record
// cannot be evaluated) and warnings (it can, but something looks wrong). The
// problems carry field paths; Positions.Place adds lines.
func Validate(h *Household, opts ValidateOptions) (errs, warnings Errors) {
	add := func(field string, code Code, en, zh string, args ...any) {
		e := problem(field, code, en, zh, args...)
		if code.IsWarning() {
			warnings = append(warnings, e)
		} else {
			errs = append(errs, e)
		}
	}
	// addRefused adds the problem of a value v the enum field at path
	// (EnumFields) does not take.
	addRefused := func(field string, code Code, path, v string) {
		en, zh := refusedValue(path, v)
		add(field, code, "%[1]s", "%[2]s", en, zh)
	}
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	todayDate := NewDate(today.Year(), today.Month(), today.Day())
	evalDay := todayDate.Time // the day ages are reckoned on
	switch {
	case opts.AsOf != nil:
		evalDay = opts.AsOf.Time
	case h.AsOf != nil:
		evalDay = h.AsOf.Time
	}

	if h.Jurisdiction == "" {
		add("jurisdiction", CodeRequired, "jurisdiction is missing", "缺少行政区划（代码或名称）")
	} else if opts.KnownJurisdiction != nil && jurisdictionForm(h.Jurisdiction) && !opts.KnownJurisdiction(h.Jurisdiction) {
		// (a value of the wrong form is bounds' problem alone)
		errs = append(errs, UncoveredJurisdiction(h.Jurisdiction, opts.CoveredJurisdictions...))
	}
	if h.SchemaVersion != 0 && h.SchemaVersion != SchemaVersion {
		add("schema_version", CodeSchema, "schema_version %d is not supported (this engine reads %d)", "不支持格式版本 %d（本程序读取版本 %d）", h.SchemaVersion, SchemaVersion)
	}
	if h.Residence != "" && NormalizeResidence(h.Residence) == "" {
		addRefused("residence", CodeEnum, "residence", h.Residence)
	}
	if h.PropertyTest != "" && propertyTest(h.PropertyTest) == "" {
		addRefused("property_test", CodeEnum, "property_test", h.PropertyTest)
	}
	if h.Status != nil {
		var seenBuf [8]string
		seen := seenBuf[:0]
		for i, s := range *h.Status {
			c := NormalizeStatus(s)
			field := func() string { return "status[" + strconv.Itoa(i) + "]" }
			switch {
			case c == "":
				addRefused(field(), CodeEnum, "status[]", s)
			case slices.Contains(seen, c):
				add(field(), CodeSchema, "status %q is listed twice", "救助状态 %q 列了两次", s)
			default:
				seen = append(seen, c)
			}
		}
		has := func(c string) bool { return slices.Contains(seen, c) }
		if has(StatusDibao) && has(StatusDibaoEdge) {
			add("status", WarnStatusConflict, "a household is listed both in 低保 (dibao) and as a 低保边缘 (dibao_edge) family; 低保边缘 means not meeting the 低保 conditions", "同一户既登记为低保户，又登记为低保边缘家庭；低保边缘家庭是指不符合低保条件的家庭")
		}
		if has(StatusDibao) && has(StatusTekun) {
			add("status", WarnStatusConflict, "a household is listed both in 低保 and in 特困供养; if one member is 特困, mark that member with tekun: true", "同一户既登记为低保，又登记为特困供养；如某位成员为特困人员，请在该成员下填写 tekun: 是")
		}
	}
	if h.AsOf != nil && h.AsOf.After(todayDate.AddDate(50, 0, 0)) {
		add("as_of", CodeDate, "as_of %s is implausibly far in the future", "评估日期 %s 过于遥远，不合常理", h.AsOf)
	}

	var monthsBuf [32]int
	months := monthsBuf[:0] // a year or two of months: a scan beats a map
	for i, mi := range h.IncomeHistory {
		field := func() string { return "income_history[" + strconv.Itoa(i) + "].month" }
		if mi.Month.IsZero() {
			add(field(), CodeRequired, "required field %q is missing", "缺少必填字段 %q", "month")
			continue
		}
		y, mo, _ := mi.Month.Date()
		k := y*12 + int(mo)
		if slices.Contains(months, k) {
			add(field(), CodeIncomeHistory, "month %s appears twice in the income history", "收入历史中月份 %s 出现了两次", mi.Month)
		} else {
			months = append(months, k)
		}
		if opts.AsOf != nil && mi.Month.After(opts.AsOf.Time) {
			add(field(), CodeIncomeHistory, "month %s is after the evaluation date %s", "月份 %s 晚于评估日期 %s", mi.Month, opts.AsOf)
		}
	}

	var idsBuf [16]string
	ids := idsBuf[:0] // member ids by index; a household is small
	for i := range h.Members {
		m := &h.Members[i]
		p := func() string { return "members[" + strconv.Itoa(i) + "]" } // built only for a problem
		if strings.TrimSpace(m.ID) == "" {
			add(p()+".id", CodeRequired, "member id is empty (a decoded record names such members M1, M2…: see NameMembers)", "成员编号为空（解码的记录会按位置称其为 M1、M2…）")
		} else if m.ID == "household" {
			add(p()+".id", CodeEnum, `member id "household" is reserved: results name the household itself by it`, `成员编号不能是 "household"：结果用它指全户`)
		} else if j := slices.Index(ids, m.ID); j >= 0 {
			add(p()+".id", CodeDuplicateMember, "member id %q is already used by members[%d]", "成员编号 %q 已被 members[%d] 使用", m.ID, j)
		}
		ids = append(ids, m.ID)
		if m.Relation != "" && NormalizeRelation(m.Relation) == "" {
			addRefused(p()+".relation", CodeEnum, "members[].relation", m.Relation)
		}
		if m.BirthDate != nil {
			switch {
			case m.BirthDate.After(todayDate.Time):
				add(p()+".birth_date", CodeFutureDate, "birth date %s is in the future (today is %s)", "出生日期 %s 晚于今天（今天是 %s）", m.BirthDate, todayDate)
			case opts.AsOf != nil && m.BirthDate.After(opts.AsOf.Time):
				add(p()+".birth_date", CodeFutureDate, "birth date %s is after the evaluation date %s", "出生日期 %s 晚于评估日期 %s", m.BirthDate, opts.AsOf)
			case m.BirthDate.Year() < 1890:
				add(p()+".birth_date", CodeDate, "birth date %s is implausibly early", "出生日期 %s 过早，不合常理", m.BirthDate)
			case !m.BirthDate.AddDate(oldAge+1, 0, 0).After(evalDay): // 121 completed years or more
				add(p()+".birth_date", WarnOldAge, "birth date %s makes the member over %d on %s; check it for a typing mistake (1890 for 1990)",
					"出生日期 %[1]s 表明该成员在 %[3]s 已超过 %[2]d 周岁，请核对是否录入有误（如把 1990 写成 1890）", m.BirthDate, oldAge, evalDay.Format("2006-01-02"))
			}
		}
		var cid *CitizenID
		if m.CitizenID != "" {
			c, err := ParseCitizenID(strings.ToUpper(m.CitizenID))
			if err != nil {
				errs = append(errs, problemOf(p()+".citizen_id", CodeCitizenID, err))
			} else {
				cid = &c
				if c.FirstGeneration {
					add(p()+".citizen_id", WarnFirstGenerationID, "%s is a 15-digit first-generation citizen ID, read as %s; enter the 18-character ID of the current card",
						"%s 是 15 位的第一代身份证号码，已按 %s 读取；请改填现行居民身份证上的 18 位号码", m.CitizenID, c.Number)
				}
				if m.BirthDate != nil && !c.Birth.Equal(m.BirthDate.Time) {
					add(p()+".citizen_id", CodeCitizenIDBirth, "the citizen ID gives birth date %s but birth_date is %s", "公民身份号码中的出生日期为 %s，但出生日期字段为 %s", c.Birth, m.BirthDate)
				}
			}
		}
		if m.Age != nil && *m.Age >= 0 && (m.BirthDate != nil || cid != nil) {
			validateStatedAge(h, m, cid, evalDay, p, add)
		}
		if m.Disabled != nil && !*m.Disabled && m.Disability != nil {
			add(p()+".disabled", CodeContradiction, "disabled is false but a disability block is given", "是否残疾人填的是否，却填写了残疾信息")
		}
		if d := m.Disability; d != nil {
			cat := ""
			if d.Category != "" {
				if cat = NormalizeCategory(d.Category); cat == "" {
					addRefused(p()+".disability.category", CodeCategory, "members[].disability.category", d.Category)
				}
			}
			if d.Grade != nil && (*d.Grade < 1 || *d.Grade > 4) {
				add(p()+".disability.grade", CodeGrade, gradeRule+"; got %d", gradeRuleZh+"；填写的是 %d", *d.Grade)
			}
			if d.CertificateNo != "" {
				no := strings.ToUpper(strings.TrimSpace(d.CertificateNo))
				if c, ok := ParseCertificate(no); ok {
					if cat != "" && c.Category != cat {
						add(p()+".disability.certificate_no", CodeCertificate, "certificate number gives category %s (%s) but category is %s (%s)",
							"残疾人证号显示类别为%[2]s（%[1]s），但残疾类别填的是%[4]s（%[3]s）",
							c.Category, CategoryZh(c.Category), cat, CategoryZh(cat))
					}
					if d.Grade != nil && c.Grade != *d.Grade {
						add(p()+".disability.certificate_no", CodeCertificate, "certificate number gives grade %d but grade is %d", "残疾人证号显示等级为 %d，但残疾等级填的是 %d", c.Grade, *d.Grade)
					}
					if cid != nil && c.CitizenID != cid.Number {
						add(p()+".disability.certificate_no", CodeCertificate, "certificate number starts with citizen ID %s but citizen_id is %s", "残疾人证号前 18 位为公民身份号码 %s，但公民身份号码填的是 %s", c.CitizenID, m.CitizenID)
					}
				} else {
					add(p()+".disability.certificate_no", WarnCertificateFormat, "certificate number %q is not in the second-generation form (citizen ID + category digit + grade digit); category and grade were not cross-checked", "残疾人证号 %q 不是第二代格式（公民身份号码加类别、等级各一位数字），未与类别和等级交叉核对", d.CertificateNo)
				}
			}
			if d.LowerLimb != nil && *d.LowerLimb && cat != "" && cat != "physical" && cat != "multiple" {
				add(p()+".disability.lower_limb", CodeContradiction, "lower_limb is set but the category is %s, not physical (肢体)", "填写了下肢残疾，但残疾类别为 %s，不是肢体残疾", cat)
			}
		}
		if c := m.Care; c != nil && c.Needed != nil && !*c.Needed && c.LongTerm != nil && *c.LongTerm {
			add(p()+".care.long_term", CodeContradiction, "care is not needed but long-term care is", "填的是不需要照护，却填写了需要长期照护")
		}
		if c := m.Care; c != nil && c.Needed != nil && !*c.Needed && c.Months != nil && *c.Months > 0 {
			add(p()+".care.months", CodeContradiction, "care is not needed but lasts %d months", "填的是不需要照护，却填写了照护 %d 个月", *c.Months)
		}
		if e := m.Employment; e != nil {
			if e.Status != "" && NormalizeEmployment(e.Status) == "" {
				addRefused(p()+".employment.status", CodeEnum, "members[].employment.status", e.Status)
			}
		}
		if m.WorkCapacity != "" && NormalizeWorkCapacity(m.WorkCapacity) == "" {
			addRefused(p()+".work_capacity", CodeEnum, "members[].work_capacity", m.WorkCapacity)
		}
		if ed := m.Education; ed != nil {
			if ed.Stage != "" && NormalizeStage(ed.Stage) == "" {
				addRefused(p()+".education.stage", CodeEnum, "members[].education.stage", ed.Stage)
			}
			if ed.GraduatingFrom != "" && NormalizeGraduatingFrom(ed.GraduatingFrom) == "" {
				addRefused(p()+".education.graduating_from", CodeEnum, "members[].education.graduating_from", ed.GraduatingFrom)
			}
		}
		if m.Needs != nil {
			seen := map[string]bool{}
			for j, n := range *m.Needs {
				c := NormalizeNeed(n)
				switch {
				case c == "":
					addRefused(fmt.Sprintf("%s.needs[%d]", p(), j), CodeEnum, "members[].needs[]", n)
				case seen[c]:
					add(fmt.Sprintf("%s.needs[%d]", p(), j), CodeSchema, "need %q is listed twice", "需求 %q 列了两次", c)
				}
				seen[c] = true
			}
		}
	}
	bounds(h, add)
	return errs, warnings
}

// UncoveredJurisdiction is the problem of a record whose jurisdiction the
// rule pack does not cover, by code or by name. covered, when given, lists
// the areas the pack does cover ("371581 临清市"), so that the message says
// what to write instead.
func UncoveredJurisdiction(value string, covered ...Area) *Error {
	if len(covered) == 0 {
		return problem("jurisdiction", CodeJurisdiction, "jurisdiction %q is not covered by the rule pack (see `entitle rules`)",
			"行政区划 %q 不在规则包的适用范围内（见 `entitle rules`）", value)
	}
	en, zh := make([]string, len(covered)), make([]string, len(covered))
	for i, a := range covered {
		en[i], zh[i] = a.Code+" "+a.En, a.Code+" "+a.Zh
	}
	return &Error{Field: "jurisdiction", Code: CodeJurisdiction,
		Msg: fmt.Sprintf("jurisdiction %q is not covered by the rule pack, which covers %s (write the code or the name; a place inside one may follow its name, as in an address)", value, strings.Join(en, "; ")),
		Zh:  fmt.Sprintf("行政区划 %q 不在规则包的适用范围内；规则包适用于 %s（填写代码或名称均可；所辖地区可接在其名称之后，如地址的写法）", value, strings.Join(zh, "、"))}
}

// bounds checks the limits the schema sets on sizes and ranges, so that a
// record decoded without the schema (the batch path) is held to them too.
func bounds(h *Household, add func(field string, code Code, en, zh string, args ...any)) {
	if utf8.RuneCountInString(h.ID) > 128 {
		add("id", CodeSchema, "household id is longer than 128 characters", "户编号超过 128 个字符")
	}
	if h.Jurisdiction != "" && !jurisdictionForm(h.Jurisdiction) {
		add("jurisdiction", CodeJurisdiction, badJurisdictionEn, badJurisdictionZh)
	}
	switch n := len(h.Members); {
	case n == 0:
		add("members", CodeRequired, "the household has no members", "这一户没有成员")
	case n > 50:
		add("members", CodeTooLarge, "the household has %d members; at most 50", "这一户有 %d 位成员，最多 50 位", n)
	}
	for i := range h.Members {
		m := &h.Members[i]
		p := func() string { return "members[" + strconv.Itoa(i) + "]" } // built only for a problem
		if utf8.RuneCountInString(m.ID) > 64 {
			add(p()+".id", CodeSchema, "member id is longer than 64 characters", "成员编号超过 64 个字符")
		}
		if utf8.RuneCountInString(m.Name) > 64 {
			add(p()+".name", CodeSchema, "name is longer than 64 characters", "姓名超过 64 个字符")
		}
		if d := m.Disability; d != nil && utf8.RuneCountInString(d.CertificateNo) > 32 {
			add(p()+".disability.certificate_no", CodeSchema, "certificate number is longer than 32 characters", "残疾人证号超过 32 个字符")
		}
		switch {
		case m.Age == nil:
		case *m.Age < 0 || *m.Age > 150:
			add(p()+".age", CodeSchema, "age must be 0 to 150 completed years, got %d", "年龄应为 0 至 150 周岁，填写的是 %d", *m.Age)
		case *m.Age > oldAge:
			add(p()+".age", WarnOldAge, "age %d is over %d; check it for a typing mistake", "年龄 %d 周岁超过 %d 周岁，请核对是否录入有误", *m.Age, oldAge)
		}
		if c := m.Care; c != nil && c.Months != nil && (*c.Months < 0 || *c.Months > 1200) {
			add(p()+".care.months", CodeSchema, "care months must be 0 to 1200, got %d", "照护月数应为 0 至 1200，填写的是 %d", *c.Months)
		}
		if e := m.Education; e != nil && e.GraduatingYear != nil && (*e.GraduatingYear < 1950 || *e.GraduatingYear > 2100) {
			add(p()+".education.graduating_year", CodeSchema, "graduating year must be 1950 to 2100, got %d", "毕业年份应为 1950 至 2100，填写的是 %d", *e.GraduatingYear)
		}
		if in := m.Income; in != nil {
			for _, f := range []struct {
				name string
				v    *money.Fen
			}{{"wages", in.Wages}, {"pension", in.Pension}, {"living_allowance", in.LivingAllowance}, {"care_subsidy", in.CareSubsidy}, {"other_assistance", in.OtherAssistance}} {
				if f.v != nil && *f.v < 0 {
					add(p()+".income."+f.name, CodeMoney, "the amount cannot be negative", "金额不能为负数")
				}
			}
		}
		if e := m.Employment; e != nil && e.Costs != nil && *e.Costs < 0 {
			add(p()+".employment.costs", CodeMoney, "the amount cannot be negative", "金额不能为负数")
		}
	}
}

// jurisdictionForm reports whether s can name an area: a six-digit GB/T
// 2260 code, a township's or village's 9- or 12-digit statistical code, or
// a name (which does not begin with a digit) of at most 64 characters, as
// the schema counts them. Whether the pack covers it is Validate's
// KnownJurisdiction.
func jurisdictionForm(s string) bool {
	return IsAreaCode(s) || (s[0] < '0' || s[0] > '9') && utf8.RuneCountInString(s) <= 64
}

// The problem of a jurisdiction that is neither a code nor a name.
const (
	badJurisdictionEn = "jurisdiction must be a 6-digit GB/T 2260 code (e.g. 141081), a township's or village's 9- or 12-digit code (e.g. 141081100000), or the area's name (e.g. 侯马市)"
	badJurisdictionZh = "行政区划应为 6 位 GB/T 2260 代码（例如 141081）、9 位或 12 位乡镇（街道）、村（社区）统计用区划代码（例如 141081100000）或地区名称（例如 侯马市）"
)

// IsAreaCode reports whether s has the form of an area code a record may
// give: six digits (GB/T 2260), or nine or twelve (a township's or a
// village's statistical code, which begins with its county's six).
func IsAreaCode(s string) bool {
	switch len(s) {
	case 6, 9, 12:
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// IsJurisdictionCode reports whether s has the form of a GB/T 2260 code:
// six digits.
func IsJurisdictionCode(s string) bool { return len(s) == 6 && IsAreaCode(s) }

func propertyTest(s string) string { return normalize(s, propertyTestCodes, propertyTestNames) }

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
// a diagnosis the record gives as autism: true beside the category, and
// 听力语言, an older combined category that the standard has as two.
func categoryHint(v string) (en, zh string) {
	switch strings.TrimSuffix(strings.TrimSpace(v), "残疾") {
	case "孤独症", "自闭症", "autism":
		return "; autism (孤独症) is not a category: write the category the certificate gives, and autism: true",
			"；孤独症不是残疾类别：写残疾人证上的类别，并在“孤独症”一项填“是”（autism: 是）"
	case "听力语言", "听力言语":
		return "; GB/T 26341-2010 has 听力 (hearing) and 言语 (speech) as two categories: write the one the certificate gives",
			"；GB/T 26341-2010 将听力残疾与言语残疾分为两类：按残疾人证写 听力 或 言语"
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
	for _, f := range EnumFields {
		if f.Path == path {
			codes = f.Codes
		}
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

// PropertyTestPassed reports the property test outcome: known is false when
// the record does not say.
func (h *Household) PropertyTestPassed() (passed, known bool) {
	switch propertyTest(h.PropertyTest) {
	case "pass":
		return true, true
	case "fail":
		return false, true
	}
	return false, false
}

// validateStatedAge checks a member's stated age against the birth date
// (birth_date, else the citizen ID's): the age stated is the age on the
// record's date, or on the evaluation date, and the birth date must give
// the same then. (Apart from Validate, so that nothing of its loop escapes
// for a problem that is rare.)
func validateStatedAge(h *Household, m *Member, cid *CitizenID, evalDay time.Time, p func() string, add func(string, Code, string, string, ...any)) {
	stated := evalDay
	if h.AsOf != nil {
		stated = h.AsOf.Time
	}
	birth, from, fromZh := Date{}, "birth_date", "出生日期"
	if m.BirthDate != nil {
		birth = *m.BirthDate
	} else {
		birth, from, fromZh = cid.Birth, "citizen_id", "公民身份号码中的出生日期"
	}
	if a := AgeOn(birth.Time, stated); a != *m.Age {
		add(p()+".age", CodeAgeBirth, "age is %[1]d, but %[2]s (%[3]s) makes it %[4]d on %[5]s",
			"年龄填的是 %[1]d 周岁，但按%[6]s（%[3]s）在 %[5]s 应为 %[4]d 周岁",
			*m.Age, from, birth, a, Date{stated}, fromZh)
	}
}

// fieldAlias is a name people often write for a field the schema spells
// otherwise, with why, when the field is not a mere respelling.
type fieldAlias struct {
	field, en, zh string
}

// Aliases that stand for the same field for the same reason.
var (
	jurisdictionAlias = fieldAlias{"jurisdiction", `a GB/T 2260 code such as "141081", or the area's name such as "侯马市"`, `填写行政区划代码（例如 "141081"）或地区名称（例如 "侯马市"）`}
	sizeAlias         = fieldAlias{"members", "the household size is counted from members[]", "家庭人口按 members[] 计算"}
	wagesAlias        = fieldAlias{"income", "income.wages, a month's wages in yuan", "income.wages：月工资收入（元）"}
	pensionAlias      = fieldAlias{"insurance", "enrolment in the residents' pension goes inside it: insurance: {resident_pension: true}", "参加城乡居民养老保险写在其中：insurance: {resident_pension: true}"}
	incomeAlias       = fieldAlias{"members", "income is given for each member, members[].income: {wages, business, pension, other}, and the per-capita income computed from it; past months' per-capita income goes in income_history", "收入按成员填写：members[].income: {wages, business, pension, other}，人均收入由此计算；过去月份的人均收入写在 income_history"}
	medicalAlias      = fieldAlias{"insurance", "enrolment in the residents' medical insurance goes inside it: insurance: {resident_medical: true}", "参加城乡居民医疗保险写在其中：insurance: {resident_medical: true}"}
	statusAlias       = fieldAlias{"status", "the household's current benefits, e.g. status: [dibao]", "家庭正在享受的待遇，例如 status: [dibao]"}
	residenceAlias    = fieldAlias{"residence", "urban or rural", "城镇（urban）或农村（rural）"}
	careAlias         = fieldAlias{"care", "a long-term care need the office found is care: {long_term: true}; otherwise the need and how long it lasts, care: {needed: true, months: 12}", "经认定需要长期照护写作 care: {long_term: 是}；否则写是否需要照护及持续月数，care: {needed: 是, months: 12}"}
	certifiedAlias    = fieldAlias{"disability", "a valid certificate is written inside it: disability: {category: 肢体, grade: 1, certificate_valid: true}, or its number as certificate_no", "持有有效残疾人证写在其中：disability: {category: 肢体, grade: 1, certificate_valid: 是}，或填写证号 certificate_no"}
	severeAlias       = fieldAlias{"disability", "the grade says it: grade 1 or 2 is severe (重度), disability: {category: ..., grade: 1}", "由等级判断：一级、二级为重度，disability: {category: ..., grade: 1}"}
	unemployedAlias   = fieldAlias{"employment", "employment: {status: unemployed}", "employment: {status: 失业}"}
	employmentAlias   = fieldAlias{"employment", "the status goes inside it: employment: {status: employed}", "就业状况写在其中：employment: {status: 就业}"}
	studentAlias      = fieldAlias{"employment", "a student is employment: {status: student}, and the stage education: {stage: primary}", "学生写作 employment: {status: 学生}，学段写作 education: {stage: 小学}"}
	careReceivedAlias = fieldAlias{"income", "the care subsidy received is income.care_subsidy (yuan a month); the work-injury insurance's care allowance is work_injury_care_allowance: true", "领取的重度残疾人护理补贴写在 income.care_subsidy（元/月）；领取工伤保险生活护理费写 work_injury_care_allowance: 是"}
	hardshipAlias     = fieldAlias{"hardship_assessed", "whether the office has assessed the family as still in special difficulty: hardship_assessed: true", "是否经评估生活仍有特殊困难：hardship_assessed: 是"}
	propertyAlias     = fieldAlias{"property_test", "whether the family's property meets the local rules: property_test: pass or fail", "财产状况是否符合当地规定：property_test: 符合 或 不符合"}
)

// nestedAlias is the alias of a field nested one level down (education.stage
// for school_stage): the object to write, and how (yamlOf, as pathHint
// words it).
func nestedAlias(path string) fieldAlias {
	top, _, _ := strings.Cut(path, ".")
	return fieldAlias{top, "write it as " + yamlOf(path), "写作 " + yamlOf(path)}
}

// fieldAliases maps names that are not close in spelling to the field they
// stand for (a typo is caught by edit distance). An alias applies only where
// its field exists: salary inside members[], not at the top level.
var fieldAliases = map[string]fieldAlias{
	"dob":                       {field: "birth_date"},
	"birthday":                  {field: "birth_date"},
	"birth":                     {field: "birth_date"},
	"id_card":                   {field: "citizen_id"},
	"id_number":                 {field: "citizen_id"},
	"idcard":                    {field: "citizen_id"},
	"id_no":                     {field: "citizen_id"},
	"level":                     {field: "grade"},
	"disability_grade":          {field: "grade"},
	"disability_level":          {field: "grade"},
	"type":                      {field: "category"},
	"kind":                      {field: "category"},
	"disability_type":           {field: "category"},
	"certificate":               {field: "certificate_no"},
	"cert_no":                   {field: "certificate_no"},
	"orphan":                    {field: "orphan_guarantee"},
	"orphan_support":            {field: "orphan_guarantee"},
	"orphan_allowance":          {field: "orphan_guarantee"},
	"orphan_benefit":            {field: "orphan_guarantee"},
	"orphan_status":             {field: "orphan_guarantee"},
	"has_disability":            {field: "disabled"},
	"relationship":              {field: "relation"},
	"date_of_birth":             {field: "birth_date"},
	"identity_number":           {field: "citizen_id"},
	"id_card_no":                {field: "citizen_id"},
	"id_card_number":            {field: "citizen_id"},
	"household_id":              {field: "id"},
	"family_id":                 {field: "id"},
	"member_id":                 {field: "id"},
	"people":                    {field: "members"},
	"persons":                   {field: "members"},
	"date":                      {field: "as_of"},
	"eval_date":                 {field: "as_of"},
	"evaluation_date":           {field: "as_of"},
	"supported_by_family":       {field: "family_support"},
	"dependent":                 {field: "family_support"},
	"wubao":                     {field: "tekun"},
	"services":                  {field: "needs"},
	"service_needs":             {field: "needs"},
	"care_needs":                careAlias,
	"elderly_allowance":         {field: "other_welfare_subsidy"},
	"old_age_allowance":         {field: "other_welfare_subsidy"},
	"other_subsidy":             {field: "other_welfare_subsidy"},
	"graduation_year":           nestedAlias("education.graduating_year"),
	"in_school":                 studentAlias,
	"region_code":               jurisdictionAlias,
	"adcode":                    jurisdictionAlias,
	"low_income":                statusAlias,
	"dibao_edge":                statusAlias,
	"hardship_assessment":       hardshipAlias,
	"region":                    jurisdictionAlias,
	"county":                    jurisdictionAlias,
	"city":                      jurisdictionAlias,
	"area_code":                 jurisdictionAlias,
	"hukou":                     residenceAlias,
	"dibao":                     statusAlias,
	"in_dibao":                  statusAlias,
	"is_dibao":                  statusAlias,
	"dibao_status":              statusAlias,
	"低保":                        statusAlias,
	"低保户":                       statusAlias,
	"tekun":                     {"status", "status: [tekun] for a household in 特困 support, or tekun: true on each member who is", "全户特困供养写 status: [tekun]，成员本人纳入特困供养写在该成员中 tekun: 是"},
	"household_type":            residenceAlias,
	"urban_rural":               residenceAlias,
	"户籍":                        residenceAlias,
	"户口性质":                      residenceAlias,
	"hardship":                  hardshipAlias,
	"special_hardship":          hardshipAlias,
	"in_hardship":               hardshipAlias,
	"property":                  propertyAlias,
	"property_ok":               propertyAlias,
	"assets":                    propertyAlias,
	"needs_care":                careAlias,
	"care_needed":               careAlias,
	"long_term_care":            careAlias,
	"nursing":                   careAlias,
	"certified":                 certifiedAlias,
	"has_certificate":           certifiedAlias,
	"severe":                    severeAlias,
	"severely_disabled":         severeAlias,
	"unemployed":                unemployedAlias,
	"employment_status":         employmentAlias,
	"job":                       employmentAlias,
	"student":                   studentAlias,
	"work_injury":               {field: "work_injury_care_allowance"},
	"work_injury_care":          {field: "work_injury_care_allowance"},
	"injury_care":               {field: "work_injury_care_allowance"},
	"work_injury_allowance":     {field: "work_injury_care_allowance"},
	"care_allowance":            careReceivedAlias,
	"nursing_allowance":         careReceivedAlias,
	"school_stage":              nestedAlias("education.stage"),
	"public_rental":             nestedAlias("housing.seeking_public_rental"),
	"accessibility":             nestedAlias("housing.needs_accessibility_renovation"),
	"pension_enrolled":          pensionAlias,
	"resident_pension_enrolled": pensionAlias,
	"medical_enrolled":          medicalAlias,
	"resident_medical_enrolled": medicalAlias,
	"特困":                        {field: "tekun"},
	"特困人员":                      {field: "tekun"},
	"孤儿":                        {field: "orphan_guarantee"},
	"members_count":             sizeAlias,
	"household_size":            sizeAlias,
	"income":                    incomeAlias, // at the household's level
	"per_capita_income":         incomeAlias,
	"household_income":          incomeAlias,
	"total_income":              incomeAlias,
	"monthly_income":            {"income", "a month's income by kind: income: {wages, business, pension, other}", "按类别填写月收入：income: {wages, business, pension, other}"},
	"salary":                    wagesAlias,
	"wage":                      wagesAlias,
	"wages":                     wagesAlias,
	"employed":                  {"employment", "employment.status: employed", "employment.status: employed"},
	"grade":                     {"disability", "the grade goes inside it: disability: {category: ..., grade: 1}", "等级写在其中：disability: {category: ..., grade: 1}"},
	"category":                  {"disability", "the category goes inside it: disability: {category: intellectual, grade: ...}", "类别写在其中：disability: {category: intellectual, grade: ...}"},
	"certificate_no":            {"disability", "the certificate number goes inside it: disability: {certificate_no: ...}", "残疾人证号写在其中：disability: {certificate_no: ...}"},
	"certificate_valid":         {"disability", "it goes inside it, with the category and grade: disability: {category: 肢体, grade: 1, certificate_valid: true}", "写在其中，与类别、等级一起：disability: {category: 肢体, grade: 1, certificate_valid: 是}"},
	"lower_limb":                {"disability", "it goes inside it: disability: {category: 肢体, grade: ..., lower_limb: true}", "写在其中：disability: {category: 肢体, grade: ..., lower_limb: 是}"},
	"autism":                    {"disability", "it goes inside it: disability: {category: 精神, grade: ..., autism: true}", "写在其中：disability: {category: 精神, grade: ..., autism: 是}"},
	"pension":                   {"income", "a pension received goes in income.pension; enrolment in the residents' pension in insurance.resident_pension", "领取的养老金写在 income.pension；参加城乡居民养老保险写在 insurance.resident_pension"},
	"pension_insurance":         pensionAlias,
	"resident_pension":          pensionAlias,
	"medical_insurance":         medicalAlias,
	"resident_medical":          medicalAlias,
}

// suggestField finds the known field name closest to an unknown one at the
// given location of the record, for "did you mean" hints, and says why when
// the unknown name is an alias rather than a misspelling.
func suggestField(location []string, unknown string) (field, en, zh string) {
	t := reflect.TypeOf(Household{})
	for _, tok := range location {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", "", ""
		}
		if isIndex(tok) {
			continue
		}
		f, ok := fieldByJSON(t, tok)
		if !ok {
			return "", "", ""
		}
		t = f.Type
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "", "", ""
	}
	member := len(location) >= 2 && location[0] == "members" && isIndex(location[1])
	var inside []string
	for i, tok := range location {
		if !isIndex(tok) && !(member && i == 0) {
			inside = append(inside, tok)
		}
	}
	if field, en, zh, ok := zhKeyHint(unknown, member, strings.Join(inside, ".")); ok {
		return field, en, zh
	}
	lower := strings.ToLower(unknown)
	if notRead[lower] || notRead[unknown] {
		return "", notReadEn, notReadZh
	}
	// is_orphan and has_disability say yes or no to what the rest names.
	bare := strings.TrimPrefix(strings.TrimPrefix(lower, "is_"), "has_")
	for _, name := range []string{lower, bare} {
		if a, ok := fieldAliases[name]; ok {
			if _, ok := fieldByJSON(t, a.field); ok {
				return a.field, a.en, a.zh
			}
		}
	}
	if _, ok := fieldByJSON(t, bare); ok && bare != lower {
		return bare, "", ""
	}
	if field, en, zh, ok := nestedKeyHint(unknown, member, strings.Join(inside, ".")); ok {
		return field, en, zh
	}
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = jsonName(t.Field(i))
	}
	if !isASCII(unknown) {
		return "", "", "" // spelling is no guide across scripts: 姓名 is not "id"
	}
	if field := fieldInWords(unknown, names); field != "" {
		return field, "", ""
	}
	// A typo is a few letters off; further than that, a guess misleads
	// more than it helps (blind is not id, orphan_support not
	// family_support).
	return editdist.Nearest(lower, names, min(3, len(unknown)/4+1)), "", ""
}

// fieldInWords finds the field whose name begins or ends the key, word for
// word, with more words beside it: relation_to_head, disabled_flag,
// full_name. A field of one short word (id) is too common a word to go by.
func fieldInWords(key string, fields []string) string {
	words := keyWords(key)
	best := ""
	for _, f := range fields {
		fw := keyWords(f)
		if len(f) < 4 || len(fw) >= len(words) || len(f) <= len(best) {
			continue
		}
		if slices.Equal(words[:len(fw)], fw) || slices.Equal(words[len(words)-len(fw):], fw) {
			best = f
		}
	}
	return best
}

// notRead are facts a case file or an export often holds that no rule
// reads: the record leaves them out, and their problem says so instead of
// guessing a field (gender is not needs).
var notRead = map[string]bool{
	"gender": true, "sex": true, "性别": true,
	"ethnicity": true, "nation": true, "nationality": true, "民族": true,
	"phone": true, "tel": true, "telephone": true, "mobile": true, "电话": true, "联系电话": true, "手机": true, "手机号": true,
	"address": true, "住址": true, "地址": true, "家庭住址": true, "户籍地址": true,
	"email": true, "notes": true, "note": true, "remark": true, "remarks": true, "comment": true, "备注": true,
}

const (
	notReadEn = "no rule reads it: leave it out; the record holds only the facts the rules read"
	notReadZh = "没有规则用到此项，请删去；记录只填规则用到的事实"
)

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isIndex(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if jsonName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// isEnumField reports whether EnumFields has the field at path.
func isEnumField(path string) bool {
	return slices.ContainsFunc(EnumFields, func(f EnumField) bool { return f.Path == path })
}
