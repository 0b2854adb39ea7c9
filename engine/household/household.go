// Package household defines the household record the engine evaluates: its
// Go types, the published JSON Schema (household.schema.json), decoding from
// JSON or YAML with line numbers, and validation with stable error codes.
//
// Every fact is optional. An absent (or null) fact is unknown, never zero or
// false: a pointer field left nil, an enum string left empty, a list left nil.
package household

import (
	"encoding/json"
	"strings"
	"time"

	"entitle/engine/money"
)

// SchemaVersion is the version of the household record schema this package reads.
const SchemaVersion = 1

// Household is one household record (家庭).
type Household struct {
	// SchemaVersion of the record; 0 or absent means the current version.
	SchemaVersion int `json:"schema_version,omitempty"`
	// ID identifies the household in the caller's system; optional (a
	// benefit roll needs it).
	ID string `json:"id"`
	// Jurisdiction is the county-level area: its GB/T 2260 code, e.g.
	// "141081", or a name the rule pack lists for it, e.g. "侯马市"
	// (rulepack.Pack.ResolveJurisdiction). Results give the code.
	Jurisdiction string `json:"jurisdiction"`
	// Residence is "urban" (城镇) or "rural" (农村); empty when unknown.
	Residence string `json:"residence,omitempty"`
	// AsOf is the date the record asks to be evaluated on (评估日期), if any.
	AsOf *Date `json:"as_of,omitempty"`
	// Status lists the assistance the household currently receives. Nil means
	// unknown; an empty list means none.
	Status *Statuses `json:"status,omitempty"`
	// PropertyTest is the outcome of the 低保 property test: "pass" or "fail".
	PropertyTest string `json:"property_test,omitempty"`
	// HardshipAssessed records a caseworker's assessment that the household
	// still has special difficulty in living (生活仍有特殊困难).
	HardshipAssessed *bool `json:"hardship_assessed,omitempty"`
	// IncomeHistory holds the assessed monthly per-capita income of past months.
	IncomeHistory []MonthIncome `json:"income_history,omitempty"`
	// Housing holds the facts housing benefits need.
	Housing *Housing `json:"housing,omitempty"`
	// Members are the people living together in the household (共同生活的家庭成员).
	Members []Member `json:"members"`
}

// MonthIncome is the per-capita counted income the office assessed for one month.
type MonthIncome struct {
	Month           Month      `json:"month"`
	PerCapitaIncome *money.Fen `json:"per_capita_income"`
}

// Housing holds housing facts (住房).
type Housing struct {
	// Dilapidated: the home is assessed as dangerous (危房).
	Dilapidated *bool `json:"dilapidated,omitempty"`
	// CanSelfFund: the family can raise its share of rebuilding costs (有能力自筹).
	CanSelfFund *bool `json:"can_self_fund,omitempty"`
	// SeekingPublicRental: the family applies for public rental housing (申请公租房).
	SeekingPublicRental *bool `json:"seeking_public_rental,omitempty"`
	// NeedsAccessibilityRenovation: an assessment found the home needs
	// barrier-free renovation (家庭无障碍改造需求).
	NeedsAccessibilityRenovation *bool `json:"needs_accessibility_renovation,omitempty"`
}

// Member is one person in the household.
type Member struct {
	// ID names the member in results, unique in the household and not
	// "household". The decoders name a member given none (NameMembers).
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	CitizenID string `json:"citizen_id,omitempty"`
	// Relation to the head of household: head, spouse, child, parent,
	// grandparent, grandchild, sibling, other.
	Relation  string `json:"relation,omitempty"`
	BirthDate *Date  `json:"birth_date,omitempty"`
	// Age is the member's age in completed years (周岁) as stated, for a
	// record without the birth date: the age on the record's AsOf date, or
	// on the evaluation date when the record has none. A birth date, from
	// BirthDate or CitizenID, must agree with it (H024) and is used instead.
	Age *int `json:"age,omitempty"`
	// Disabled says whether the member is a disabled person. A Disability
	// block implies true.
	Disabled   *bool       `json:"disabled,omitempty"`
	Disability *Disability `json:"disability,omitempty"`
	Care       *Care       `json:"care,omitempty"`
	Income     *Income     `json:"income,omitempty"`
	Employment *Employment `json:"employment,omitempty"`
	// WorkCapacity: "full", "partial_loss" (部分丧失劳动能力) or "total_loss" (完全丧失).
	WorkCapacity string `json:"work_capacity,omitempty"`
	// StableWorkIncome: can earn a stable income from production or work (通过产业就业获得稳定收入).
	StableWorkIncome *bool `json:"stable_work_income,omitempty"`
	// OrphanGuarantee: receives the orphans' basic living guarantee (孤儿基本生活保障).
	OrphanGuarantee *bool `json:"orphan_guarantee,omitempty"`
	// WorkInjuryCareAllowance: receives the work-injury insurance living-care allowance (工伤保险生活护理费).
	WorkInjuryCareAllowance *bool `json:"work_injury_care_allowance,omitempty"`
	// OtherWelfareSubsidy: qualifies for another welfare living or care
	// allowance (老年、因公致残、离休等福利性生活补贴或护理补贴).
	OtherWelfareSubsidy *bool `json:"other_welfare_subsidy,omitempty"`
	// FamilySupport: relies on the family for support (靠家庭供养).
	FamilySupport *bool `json:"family_support,omitempty"`
	// Tekun: the member is supported as an extremely poor person (特困人员供养).
	// When absent the household status decides.
	Tekun *bool `json:"tekun,omitempty"`
	// Insurance records enrolment in the residents' social insurance schemes.
	Insurance *Insurance `json:"insurance,omitempty"`
	// Education records schooling.
	Education *Education `json:"education,omitempty"`
	// Needs lists service needs assessed for the member, e.g. "day_care".
	Needs *Needs `json:"needs,omitempty"`
}

// Disability is the certificate data (残疾人证).
type Disability struct {
	// Category per GB/T 26341-2010: visual, hearing, speech, physical,
	// intellectual, mental, multiple (or 视力, 听力, 言语, 肢体, 智力, 精神, 多重).
	Category string `json:"category,omitempty"`
	// Grade 1 (一级, 极重度) to 4 (四级, 轻度).
	Grade *int `json:"grade,omitempty"`
	// CertificateNo is the 残疾人证 number.
	CertificateNo string `json:"certificate_no,omitempty"`
	// CertificateValid says whether the certificate is valid on the
	// evaluation date; absent means unknown unless a number is given.
	CertificateValid *bool `json:"certificate_valid,omitempty"`
	// LowerLimb marks a physical disability of the lower limbs (下肢).
	LowerLimb *bool `json:"lower_limb,omitempty"`
	// Autism marks a diagnosis of autism (孤独症).
	Autism *bool `json:"autism,omitempty"`
}

// Care records the member's need for care (照护).
type Care struct {
	// Needed: the member needs care because of disability.
	Needed *bool `json:"needed,omitempty"`
	// LongTerm: the member needs long-term care (需要长期照护), care whose
	// spending lasts 6 months or more, as the office has found. Given, it
	// decides the long-term need without Months; true implies Needed.
	LongTerm *bool `json:"long_term,omitempty"`
	// Months the care need (and its spending) has lasted or is expected to last.
	Months *int `json:"months,omitempty"`
}

// Income is monthly income by kind, in yuan. Each kind absent is unknown.
type Income struct {
	Wages           *money.Fen `json:"wages,omitempty"`
	Business        *money.Fen `json:"business,omitempty"`
	Pension         *money.Fen `json:"pension,omitempty"`
	LivingAllowance *money.Fen `json:"living_allowance,omitempty"`
	CareSubsidy     *money.Fen `json:"care_subsidy,omitempty"`
	OtherAssistance *money.Fen `json:"other_assistance,omitempty"`
	Other           *money.Fen `json:"other,omitempty"`
}

// Employment records work.
type Employment struct {
	// Status: employed, self_employed, unemployed, not_in_labour_force,
	// student, retired, flexible (灵活就业: in work, without saying whether
	// a job or self-employment), farming (务农: an occupation, not 失业 or
	// 无业, but not said to count as 就业), or not_employed (无业: not in work, without saying
	// whether unemployed or outside the labour force).
	Status string `json:"status,omitempty"`
	// Costs are the necessary monthly costs of working (必要的就业成本), in yuan.
	Costs *money.Fen `json:"costs,omitempty"`
	// Sheltered: the work is assisted employment (辅助性就业).
	Sheltered *bool `json:"sheltered,omitempty"`
}

// Insurance records enrolment in residents' schemes.
type Insurance struct {
	// ResidentPension: enrolled in 城乡居民基本养老保险.
	ResidentPension *bool `json:"resident_pension,omitempty"`
	// ResidentMedical: enrolled in 城乡居民基本医疗保险.
	ResidentMedical *bool `json:"resident_medical,omitempty"`
}

// Education records schooling.
type Education struct {
	// Stage: none, preschool, primary, junior_secondary, senior_secondary,
	// secondary_vocational, higher.
	Stage string `json:"stage,omitempty"`
	// GraduatingYear is the year the member graduates or graduated.
	GraduatingYear *int `json:"graduating_year,omitempty"`
	// GraduatingFrom: higher (高校), secondary_vocational (中职) or none.
	GraduatingFrom string `json:"graduating_from,omitempty"`
	// InInternship: in a job-internship programme (就业见习).
	InInternship *bool `json:"in_internship,omitempty"`
	// EconomicHardship: the family is assessed as economically difficult for
	// student aid (家庭经济困难).
	EconomicHardship *bool `json:"economic_hardship,omitempty"`
}

// Needs lists assessed service needs; nil means unknown.
type Needs []string

// Statuses is the set of assistance a household currently receives.
type Statuses []string

// Date is a calendar date (no time zone), written YYYY-MM-DD (read as
// ParseDate reads it).
type Date struct{ time.Time }

// Month is a calendar month, written YYYY-MM (read as ParseMonth reads it).
type Month struct{ time.Time }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads a date as records and results write it, YYYY-MM-DD, or as
// Chinese forms, spreadsheets and exports do: YYYY/M/D, YYYY-M-D, YYYY.M.D
// or YYYY年M月D日 (month and day with or without a leading zero), or
// YYYYMMDD, the eight digits a citizen ID and many exports write.
func ParseDate(s string) (Date, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return Date{t}, nil
			}
		}
	}
	p, ok := calendarParts(s, 3)
	if !ok && len(s) == 8 {
		p, ok = compactParts(s, 3)
	}
	if ok && p[1] >= 1 && p[1] <= 12 && p[2] >= 1 {
		t := time.Date(p[0], time.Month(p[1]), p[2], 0, 0, 0, 0, time.UTC)
		if t.Day() == p[2] {
			return Date{t}, nil
		}
	}
	return Date{}, Errorf("%q is not a date ("+DateForms+")", "%q 不是有效日期（应为 "+DateFormsZh+"）", s)
}

// The forms of a date and a month that ParseDate and ParseMonth read, as
// messages list them.
const (
	DateForms    = "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or YYYY年M月D日"
	DateFormsZh  = "YYYY-MM-DD、YYYY/M/D、YYYY.M.D、YYYYMMDD 或 YYYY年M月D日"
	MonthForms   = "YYYY-MM, YYYY/M, YYYY.M, YYYYMM or YYYY年M月"
	MonthFormsZh = "YYYY-MM、YYYY/M、YYYY.M、YYYYMM 或 YYYY年M月"
)

// ParseMonth reads a month: YYYY-MM, or YYYY-M, YYYY/M, YYYY.M, YYYY年M月
// or YYYYMM.
func ParseMonth(s string) (Month, error) {
	if len(s) == 7 && s[4] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		if ok1 && ok2 && m >= 1 && m <= 12 {
			return Month{time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)}, nil
		}
	}
	p, ok := calendarParts(s, 2)
	if !ok && len(s) == 6 {
		p, ok = compactParts(s, 2)
	}
	if ok && p[1] >= 1 && p[1] <= 12 {
		return Month{time.Date(p[0], time.Month(p[1]), 1, 0, 0, 0, 0, time.UTC)}, nil
	}
	return Month{}, Errorf("%q is not a month ("+MonthForms+")", "%q 不是有效月份（应为 "+MonthFormsZh+"）", s)
}

// compactParts reads YYYYMMDD (n is 3) or YYYYMM (n is 2): digits only,
// two for the month and the day.
func compactParts(s string, n int) (p [3]int, ok bool) {
	if len(s) != 4+2*(n-1) {
		return p, false
	}
	for i := range n {
		from, to := 0, 4
		if i > 0 {
			from, to = 4+2*(i-1), 6+2*(i-1)
		}
		if p[i], ok = digits(s[from:to]); !ok {
			return p, false
		}
	}
	return p, true
}

// calendarParts reads a year of four digits and then a month, or a month
// and a day, of one or two digits each (n is 2 or 3), written with -, / or
// . between them, or as 2025年3月 and 2025年3月1日.
func calendarParts(s string, n int) (p [3]int, ok bool) {
	seps := []string{"-", "-"}
	switch {
	case strings.Contains(s, "年"):
		seps = []string{"年", "月", "日"}
	case strings.Contains(s, "/"):
		seps = []string{"/", "/"}
	case strings.Contains(s, "."):
		seps = []string{".", "."}
	}
	for i := range n {
		field := s
		if i < n-1 || len(seps) == 3 {
			var found bool
			if field, s, found = strings.Cut(s, seps[i]); !found {
				return p, false
			}
		} else {
			s = ""
		}
		if width := len(field); i == 0 && width != 4 || i > 0 && (width < 1 || width > 2) {
			return p, false
		}
		if p[i], ok = digits(field); !ok {
			return p, false
		}
	}
	return p, s == ""
}

// digits reads a run of decimal digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Format("2006-01-02") }

// String formats the month as YYYY-MM.
func (m Month) String() string { return m.Format("2006-01") }

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// plainString returns the text of a JSON string without escapes, quickly;
// ok is false for anything else, which the caller decodes in full.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	for _, c := range b[1 : len(b)-1] {
		if c == '\\' || c < 0x20 {
			return "", false
		}
	}
	return string(b[1 : len(b)-1]), true
}

// jsonString decodes a JSON string.
func jsonString(b []byte) (string, error) {
	if s, ok := plainString(b); ok {
		return s, nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// UnmarshalJSON reads a date string (see ParseDate).
func (d *Date) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b)
	if err != nil {
		return Errorf("a date must be a string: "+DateForms, "日期应写成文字："+DateFormsZh)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes "YYYY-MM".
func (m Month) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

// UnmarshalJSON reads a month string (see ParseMonth).
func (m *Month) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b)
	if err != nil {
		return Errorf("a month must be a string: "+MonthForms, "月份应写成文字："+MonthFormsZh)
	}
	v, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Has reports whether the set holds the status s (a canonical code).
func (s Statuses) Has(code string) bool {
	for _, v := range s {
		if NormalizeStatus(v) == code {
			return true
		}
	}
	return false
}

// Has reports whether the need is listed.
func (n Needs) Has(code string) bool {
	for _, v := range n {
		if v == code {
			return true
		}
	}
	return false
}

// The canonical codes of household status.
const (
	StatusDibao             = "dibao"              // 低保
	StatusDibaoEdge         = "dibao_edge"         // 低保边缘
	StatusTekun             = "tekun"              // 特困供养
	StatusLowIncome         = "low_income"         // 低收入
	StatusPovertyAlleviated = "poverty_alleviated" // 脱贫户
	StatusMonitored         = "monitored"          // 监测户（防返贫监测）
)

// StatusCodes lists the canonical status codes in display order.
var StatusCodes = []string{StatusDibao, StatusDibaoEdge, StatusTekun, StatusLowIncome, StatusPovertyAlleviated, StatusMonitored}

// statusAliases are the Chinese names of the statuses. 特困户 and 特困家庭
// are left out: 150700's 特困残疾人家庭低保户 are 低保 households in special
// hardship, not 特困供养, so the word alone does not say which is meant.
var statusAliases = map[string]string{
	"低保": StatusDibao, "最低生活保障": StatusDibao, "低保户": StatusDibao, "低保家庭": StatusDibao, "低保对象": StatusDibao,
	"低保边缘": StatusDibaoEdge, "低保边缘家庭": StatusDibaoEdge, "低保边缘户": StatusDibaoEdge,
	"特困": StatusTekun, "特困供养": StatusTekun, "特困人员": StatusTekun, "特困供养人员": StatusTekun,
	"五保户": StatusTekun, "五保供养": StatusTekun, // 农村五保供养, merged into 特困人员救助供养 in 2014
	"低收入": StatusLowIncome, "低收入家庭": StatusLowIncome, "低收入户": StatusLowIncome,
	"脱贫": StatusPovertyAlleviated, "脱贫户": StatusPovertyAlleviated, "脱贫人口": StatusPovertyAlleviated, "建档立卡脱贫户": StatusPovertyAlleviated,
	"监测户": StatusMonitored, "防返贫监测户": StatusMonitored, "监测": StatusMonitored,
	"监测对象": StatusMonitored, "防返贫监测对象": StatusMonitored,
}

// NormalizeStatus maps a status code or its Chinese name to the canonical
// code; it returns "" for an unknown status.
func NormalizeStatus(s string) string { return normalize(s, StatusCodes, statusAliases) }

// The disability categories of GB/T 26341-2010, with the digit the
// second-generation certificate number uses for each.
var Categories = []struct {
	Code, Zh string
	Digit    byte
}{
	{"visual", "视力", '1'},
	{"hearing", "听力", '2'},
	{"speech", "言语", '3'},
	{"physical", "肢体", '4'},
	{"intellectual", "智力", '5'},
	{"mental", "精神", '6'},
	{"multiple", "多重", '7'},
}

// NormalizeCategory maps a category code or Chinese name (with or without
// 残疾) to the canonical code; "" when unknown.
func NormalizeCategory(s string) string { return normalize(s, categoryCodes, categoryNames) }

// CategoryZh returns the Chinese name of a canonical category code.
func CategoryZh(code string) string {
	for _, c := range Categories {
		if c.Code == code {
			return c.Zh
		}
	}
	return code
}

// NormalizeResidence maps urban/rural or 城镇/城市/农村 to "urban"/"rural".
func NormalizeResidence(s string) string {
	return normalize(s, residenceCodes, residenceNames)
}

// EmploymentStatuses are the canonical employment statuses.
// not_employed is 无业, the word the policy texts use (成年无业重度残疾人):
// not in work, without saying whether 失业 or outside the labour force.
// flexible is 灵活就业: in work, without saying whether in a job or
// self-employed. farming is 务农: an occupation (not 无业, not 失业), but
// whether it counts as 就业 for a clause the texts do not say.
var EmploymentStatuses = []string{"employed", "self_employed", "unemployed", "not_in_labour_force", "student", "retired", "not_employed", "flexible", "farming"}

// Relations are the canonical relations to the head of household.
var Relations = []string{"head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"}

// EducationStages are the canonical education stages.
var EducationStages = []string{"none", "preschool", "primary", "junior_secondary", "senior_secondary", "secondary_vocational", "higher"}

// GraduatingFrom are the kinds of school a graduate can come from.
var GraduatingFrom = []string{"higher", "secondary_vocational", "none"}

// NeedCodes are the service needs the schema knows.
var NeedCodes = []string{"day_care", "residential_care", "rehabilitation", "assistive_device", "vocational_training"}

// WorkCapacities are the canonical work-capacity values.
var WorkCapacities = []string{"full", "partial_loss", "total_loss"}

// IsDisabled reports what the record says about disability: known is false
// when it says nothing.
func (m *Member) IsDisabled() (disabled, known bool) {
	if m.Disabled != nil {
		return *m.Disabled, true
	}
	if m.Disability != nil {
		return true, true
	}
	return false, false
}
