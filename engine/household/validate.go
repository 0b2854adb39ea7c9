package household

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
