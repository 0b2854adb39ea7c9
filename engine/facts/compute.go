package facts

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"entitle/engine/household"
	"entitle/engine/money"
)

// Value is a fact's value for one subject. V is nil when the fact is
// unknown; Missing then lists the input fields (paths such as
// members[1].income.pension, parameter:NAME for a value the rule pack
// lacks, or benefit:CODE for a benefit the result does not determine) whose
// absence made it unknown.
type Value struct {
	V       ref.Val
	Missing []string
}

// Known reports whether the value is known.
func (v Value) Known() bool { return v.V != nil }

// Table holds the values of one scope's facts for one subject.
type Table []Value

// Get returns the value of a fact.
func (t Table) Get(f *Fact) Value { return t[f.index] }

// Params gives parameter values in force on a date for the household's
// jurisdiction (falling back to the national value).
type Params interface {
	Money(name string, on time.Time) (money.Fen, bool)
	Int(name string, on time.Time) (int64, bool)
	Rate(name string, on time.Time) (float64, bool)
}

// ParamField is the pseudo input field reported missing when the rule pack
// has no value for a parameter.
func ParamField(name string) string { return "parameter:" + name }

// Subject holds the facts of one household and its members.
type Subject struct {
	Household Table
	Members   []Table
	// Only, when set, says which facts are wanted: ComputeInto may then
	// leave others unknown (without missing fields). An evaluator that knows
	// which facts its rules read sets it to skip the rest.
	Only    *Only
	history incomeHistory // scratch, reused
	tables  []Table       // every member table made so far, reused
}

// Only marks facts by Index, in the household's and the members' tables.
type Only struct{ Household, Member []bool }

// NewOnly returns an Only marking no fact.
func NewOnly() *Only {
	return &Only{Household: make([]bool, len(householdFacts)), Member: make([]bool, len(memberFacts))}
}

// Mark marks a fact as wanted.
func (o *Only) Mark(f *Fact) {
	if f.Scope == Household {
		o.Household[f.index] = true
	} else {
		o.Member[f.index] = true
	}
}

// wants reports whether any of the facts is wanted.
func (o *Only) wants(fs ...*Fact) bool {
	if o == nil {
		return true
	}
	for _, f := range fs {
		if f.Scope == Household && o.Household[f.index] || f.Scope == Member && o.Member[f.index] {
			return true
		}
	}
	return false
}

// Compute derives all facts of a household as of a date.
func Compute(h *household.Household, asOf time.Time, p Params) *Subject {
	return ComputeInto(nil, h, asOf, p)
}

// ComputeInto is Compute reusing the tables of an earlier subject (which it
// overwrites); s may be nil.
func ComputeInto(s *Subject, h *household.Household, asOf time.Time, p Params) *Subject {
	if s == nil {
		s = &Subject{}
	}
	if s.Household == nil {
		s.Household = make(Table, len(householdFacts))
	}
	for len(s.tables) < len(h.Members) {
		s.tables = append(s.tables, make(Table, len(memberFacts)))
	}
	s.Members = s.tables[:len(h.Members)]
	for i := range h.Members {
		computeMember(s.Members[i], h, i, asOf, p, s.Only)
	}
	computeHousehold(s, h, asOf, p)
	return s
}

func known(v ref.Val) Value          { return Value{V: v} }
func unknown(fields ...string) Value { return Value{Missing: fields} }
func boolv(b bool) Value             { return Value{V: types.Bool(b)} }
func intv(n int64) Value             { return Value{V: types.Int(n)} }
func moneyv(f money.Fen) Value       { return Value{V: types.Int(int64(f))} }
func strv(s string) Value            { return Value{V: types.String(s)} }
func datev(t time.Time) Value        { return Value{V: types.Timestamp{Time: t}} }
func optBool(b *bool, field string) Value {
	if b == nil {
		return unknown(field)
	}
	return boolv(*b)
}

// fields gives the input paths of one member's fields. Paths are interned:
// the same member index and field always give the same read-only slice, so
// an unknown fact costs no allocation.
type fields int

// memberField is a member's input field that a fact may miss.
type memberField uint8

const (
	fBirthDate memberField = iota
	fRelation
	fDisabled
	fDisabilityCategory
	fDisabilityGrade
	fDisabilityCertificateNo
	fDisabilityLowerLimb
	fDisabilityAutism
	fCareNeeded
	fCareLongTerm
	fCareMonths
	fEmploymentStatus
	fEmploymentSheltered
	fIncomeWages
	fEmploymentCosts
	fWorkCapacity
	fStableWorkIncome
	fOrphanGuarantee
	fWorkInjuryCareAllowance
	fOtherWelfareSubsidy
	fFamilySupport
	fTekun
	fInsuranceResidentPension
	fInsuranceResidentMedical
	fEducationStage
	fEducationGraduatingYear
	fEducationGraduatingFrom
	fEducationInInternship
	fEducationEconomicHardship
	fNeeds
	fIncomeBusiness
	fIncomePension
	fIncomeOther
	numMemberFields
)

var memberFieldNames = [numMemberFields]string{
	fBirthDate:                 "birth_date",
	fRelation:                  "relation",
	fDisabled:                  "disabled",
	fDisabilityCategory:        "disability.category",
	fDisabilityGrade:           "disability.grade",
	fDisabilityCertificateNo:   "disability.certificate_no",
	fDisabilityLowerLimb:       "disability.lower_limb",
	fDisabilityAutism:          "disability.autism",
	fCareNeeded:                "care.needed",
	fCareLongTerm:              "care.long_term",
	fCareMonths:                "care.months",
	fEmploymentStatus:          "employment.status",
	fEmploymentSheltered:       "employment.sheltered",
	fIncomeWages:               "income.wages",
	fEmploymentCosts:           "employment.costs",
	fWorkCapacity:              "work_capacity",
	fStableWorkIncome:          "stable_work_income",
	fOrphanGuarantee:           "orphan_guarantee",
	fWorkInjuryCareAllowance:   "work_injury_care_allowance",
	fOtherWelfareSubsidy:       "other_welfare_subsidy",
	fFamilySupport:             "family_support",
	fTekun:                     "tekun",
	fInsuranceResidentPension:  "insurance.resident_pension",
	fInsuranceResidentMedical:  "insurance.resident_medical",
	fEducationStage:            "education.stage",
	fEducationGraduatingYear:   "education.graduating_year",
	fEducationGraduatingFrom:   "education.graduating_from",
	fEducationInInternship:     "education.in_internship",
	fEducationEconomicHardship: "education.economic_hardship",
	fNeeds:                     "needs",
	fIncomeBusiness:            "income.business",
	fIncomePension:             "income.pension",
	fIncomeOther:               "income.other",
}

// paths holds, by member index, each field's path as a one-element slice:
// read without locks (the table is replaced, never changed, when a member
// index is added), so workers on many cores do not contend for it.
var (
	pathsMu sync.Mutex
	paths   atomic.Pointer[[]*[numMemberFields][]string]
)

func init() { paths.Store(&[]*[numMemberFields][]string{}) }

func (f fields) miss(k memberField) []string {
	if t := *paths.Load(); int(f) < len(t) {
		return t[f][k]
	}
	pathsMu.Lock()
	defer pathsMu.Unlock()
	t := *paths.Load()
	if int(f) < len(t) {
		return t[f][k]
	}
	next := append([]*[numMemberFields][]string{}, t...)
	for i := len(t); i <= int(f); i++ {
		var row [numMemberFields][]string
		for j, name := range memberFieldNames {
			row[j] = []string{"members[" + strconv.Itoa(i) + "]." + name}
		}
		next = append(next, &row)
	}
	paths.Store(&next)
	return next[f][k]
}

func (f fields) path(k memberField) string { return f.miss(k)[0] }

func (f fields) optBool(b *bool, s memberField) Value {
	if b == nil {
		return Value{Missing: f.miss(s)}
	}
	return boolv(*b)
}

func computeMember(t Table, h *household.Household, i int, asOf time.Time, p Params, only *Only) {
	clear(t)
	m := &h.Members[i]
	fp := fields(i)
	pf := fp.path

	// Age from birth_date, else from the citizen ID.
	var birth *time.Time
	if m.BirthDate != nil {
		birth = &m.BirthDate.Time
	} else if m.CitizenID != "" {
		if c, err := household.ParseCitizenID(m.CitizenID); err == nil {
			birth = &c.Birth.Time
		}
	}
	// Failing both, from the age stated on the record's date (or on the
	// evaluation date), if the evaluation date settles it.
	if birth != nil {
		t[MAge.index] = intv(int64(AgeOn(*birth, asOf)))
	} else if age, ok := statedAge(h, m, asOf); ok {
		t[MAge.index] = intv(int64(age))
	} else {
		t[MAge.index] = Value{Missing: fp.miss(fBirthDate)}
	}
	if m.Relation != "" {
		t[MRelation.index] = strv(code(m.Relation, household.NormalizeRelation))
	} else {
		t[MRelation.index] = Value{Missing: fp.miss(fRelation)}
	}

	disabled, dknown := m.IsDisabled()
	d := m.Disability
	switch {
	case !dknown:
		t[MDisabled.index] = Value{Missing: fp.miss(fDisabled)}
		for _, f := range []*Fact{MCategory, MGrade, MSevere, MCertified, MLowerLimb, MAutism} {
			t[f.index] = Value{Missing: fp.miss(fDisabled)}
		}
	case !disabled:
		t[MDisabled.index] = boolv(false)
		t[MCategory.index] = strv("")
		t[MGrade.index] = intv(0)
		t[MSevere.index] = boolv(false)
		t[MCertified.index] = boolv(false)
		t[MLowerLimb.index] = boolv(false)
		t[MAutism.index] = boolv(false)
	default:
		t[MDisabled.index] = boolv(true)
		if d == nil {
			d = &household.Disability{}
		}
		if c := household.NormalizeCategory(d.Category); c != "" {
			t[MCategory.index] = strv(c)
		} else {
			t[MCategory.index] = Value{Missing: fp.miss(fDisabilityCategory)}
		}
		if d.Grade != nil {
			t[MGrade.index] = intv(int64(*d.Grade))
			t[MSevere.index] = boolv(*d.Grade <= 2)
		} else {
			t[MGrade.index] = Value{Missing: fp.miss(fDisabilityGrade)}
			t[MSevere.index] = Value{Missing: fp.miss(fDisabilityGrade)}
		}
		switch {
		case d.CertificateValid != nil:
			t[MCertified.index] = boolv(*d.CertificateValid)
		case d.CertificateNo != "":
			t[MCertified.index] = boolv(true)
		default:
			t[MCertified.index] = Value{Missing: fp.miss(fDisabilityCertificateNo)}
		}
		cat := household.NormalizeCategory(d.Category)
		switch {
		case d.LowerLimb != nil:
			t[MLowerLimb.index] = boolv(*d.LowerLimb)
		case cat != "" && cat != "physical" && cat != "multiple":
			t[MLowerLimb.index] = boolv(false)
		default:
			t[MLowerLimb.index] = Value{Missing: fp.miss(fDisabilityLowerLimb)}
		}
		t[MAutism.index] = fp.optBool(d.Autism, fDisabilityAutism)
	}

	// Care.
	c := m.Care
	if c == nil {
		c = &household.Care{}
	}
	longTerm := c.LongTerm != nil && *c.LongTerm
	if c.Needed == nil && longTerm {
		t[MCareNeeded.index] = boolv(true) // long-term care is care
	} else {
		t[MCareNeeded.index] = fp.optBool(c.Needed, fCareNeeded)
	}
	switch {
	case c.Needed != nil && !*c.Needed:
		t[MCareMonths.index] = intv(0)
		t[MLongTermCare.index] = boolv(false)
	case c.Months == nil:
		t[MCareMonths.index] = Value{Missing: fp.miss(fCareMonths)}
	default:
		t[MCareMonths.index] = intv(int64(*c.Months))
	}
	// The long-term need: as the office found it (care.long_term), else
	// from the months. One question settles it, so an open need asks
	// 是否需要长期照护 rather than for the need and the months apart.
	if c.Needed == nil || *c.Needed {
		switch {
		case c.LongTerm != nil:
			t[MLongTermCare.index] = boolv(*c.LongTerm)
		case c.Months == nil:
			t[MLongTermCare.index] = Value{Missing: fp.miss(fCareLongTerm)}
		default:
			switch minMonths, ok := p.Int("long_term_care_min_months", asOf); {
			case !ok:
				t[MLongTermCare.index] = unknown(ParamField("long_term_care_min_months"))
			case int64(*c.Months) < minMonths:
				t[MLongTermCare.index] = boolv(false)
			case c.Needed == nil:
				t[MLongTermCare.index] = Value{Missing: fp.miss(fCareLongTerm)}
			default:
				t[MLongTermCare.index] = boolv(true)
			}
		}
	}

	// Employment.
	e := m.Employment
	if e == nil {
		e = &household.Employment{}
	}
	st := code(e.Status, household.NormalizeEmployment)
	switch {
	case st == "not_employed":
		// 无业: not in work, but 失业 or outside the labour force the
		// record does not say, so which status it is stays to be asked.
		t[MEmploymentStatus.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MEmployed.index] = boolv(false)
		t[MUnemployed.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MNoOccupation.index] = boolv(true)
	case st == "flexible":
		// 灵活就业: in work, but in a job or self-employed (创业) the record
		// does not say.
		t[MEmploymentStatus.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MEmployed.index] = boolv(true)
		t[MUnemployed.index] = boolv(false)
		t[MNoOccupation.index] = boolv(false)
	case st == "farming":
		// 务农: an occupation of its own in the household register, so not
		// 无业, and working, so not 失业; whether farming counts as 就业
		// for a clause (零就业家庭, 就业后 for the phase-out) the texts do not
		// settle, so it stays to be asked where it matters.
		t[MEmploymentStatus.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MEmployed.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MUnemployed.index] = boolv(false)
		t[MNoOccupation.index] = boolv(false)
	case st != "":
		t[MEmploymentStatus.index] = strv(st)
		t[MEmployed.index] = boolv(st == "employed" || st == "self_employed")
		t[MUnemployed.index] = boolv(st == "unemployed")
		t[MNoOccupation.index] = boolv(st == "unemployed" || st == "not_in_labour_force")
	default:
		t[MEmploymentStatus.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MEmployed.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MUnemployed.index] = Value{Missing: fp.miss(fEmploymentStatus)}
		t[MNoOccupation.index] = Value{Missing: fp.miss(fEmploymentStatus)}
	}
	t[MSheltered.index] = fp.optBool(e.Sheltered, fEmploymentSheltered)

	// Income: wages − deduction + business + pension + other.
	in := m.Income
	if in == nil {
		in = &household.Income{}
	}
	if in.Wages != nil {
		t[MWages.index] = moneyv(*in.Wages)
	} else {
		t[MWages.index] = Value{Missing: fp.miss(fIncomeWages)}
	}
	if e.Costs != nil {
		t[MEmploymentCosts.index] = moneyv(*e.Costs)
	} else {
		t[MEmploymentCosts.index] = Value{Missing: fp.miss(fEmploymentCosts)}
	}
	switch {
	case in.Wages == nil:
		t[MCostDeduction.index] = Value{Missing: fp.miss(fIncomeWages)}
	case *in.Wages <= 0:
		t[MCostDeduction.index] = moneyv(0)
	case e.Costs == nil:
		t[MCostDeduction.index] = Value{Missing: fp.miss(fEmploymentCosts)}
	default:
		t[MCostDeduction.index] = moneyv(min(*e.Costs, *in.Wages))
	}
	var missing []string
	var total money.Fen
	if v := t[MWages.index]; v.Known() {
		total += money.Fen(v.V.(types.Int))
	} else {
		missing = append(missing, v.Missing...)
	}
	if v := t[MCostDeduction.index]; v.Known() {
		total -= money.Fen(v.V.(types.Int))
	} else if in.Wages != nil {
		missing = append(missing, v.Missing...)
	}
	for _, k := range []struct {
		v     *money.Fen
		field memberField
	}{{in.Business, fIncomeBusiness}, {in.Pension, fIncomePension}, {in.Other, fIncomeOther}} {
		if k.v == nil {
			missing = append(missing, pf(k.field))
		} else {
			total += *k.v
		}
	}
	if len(missing) > 0 {
		t[MCountedIncome.index] = unknown(missing...)
	} else {
		t[MCountedIncome.index] = moneyv(total)
	}

	if m.WorkCapacity != "" {
		t[MWorkCapacity.index] = strv(code(m.WorkCapacity, household.NormalizeWorkCapacity))
	} else {
		t[MWorkCapacity.index] = Value{Missing: fp.miss(fWorkCapacity)}
	}
	t[MStableWorkIncome.index] = fp.optBool(m.StableWorkIncome, fStableWorkIncome)
	t[MOrphanGuarantee.index] = fp.optBool(m.OrphanGuarantee, fOrphanGuarantee)
	t[MWorkInjuryCare.index] = fp.optBool(m.WorkInjuryCareAllowance, fWorkInjuryCareAllowance)
	t[MOtherWelfare.index] = fp.optBool(m.OtherWelfareSubsidy, fOtherWelfareSubsidy)
	t[MFamilySupport.index] = fp.optBool(m.FamilySupport, fFamilySupport)
	switch {
	case m.Tekun != nil:
		t[MTekun.index] = boolv(*m.Tekun)
	case h.Status != nil:
		t[MTekun.index] = boolv(h.Status.Has(household.StatusTekun))
	default:
		t[MTekun.index] = unknown(pf(fTekun), "status")
	}

	if only.wants(MResidentPension, MResidentMedical) {
		ins := m.Insurance
		if ins == nil {
			ins = &household.Insurance{}
		}
		t[MResidentPension.index] = fp.optBool(ins.ResidentPension, fInsuranceResidentPension)
		t[MResidentMedical.index] = fp.optBool(ins.ResidentMedical, fInsuranceResidentMedical)
	}
	if only.wants(MEducationStage, MStudent, MGraduatingYear, MFreshGraduate, MGraduatingFrom, MInInternship, MEconomicHardship, MNeeds) {
		education(t, m, st, fp, asOf)
	}
}

// code returns the code of an enum value given as a code or a Chinese name
// (see household.NormalizeRelation); a value that is neither is returned as
// it is, for validation has reported it.
func code(s string, normalize func(string) string) string {
	if c := normalize(s); c != "" {
		return c
	}
	return s
}

// education sets a member's education facts and needs; employment is the
// member's employment status as a code.
func education(t Table, m *household.Member, employment string, fp fields, asOf time.Time) {
	ed := m.Education
	if ed == nil {
		ed = &household.Education{}
	}
	if ed.Stage != "" {
		stage := code(ed.Stage, household.NormalizeStage)
		t[MEducationStage.index] = strv(stage)
		t[MStudent.index] = boolv(stage != "none")
	} else {
		t[MEducationStage.index] = Value{Missing: fp.miss(fEducationStage)}
		t[MStudent.index] = studentByOccupation(employment, fp)
	}
	if ed.GraduatingYear != nil {
		t[MGraduatingYear.index] = intv(int64(*ed.GraduatingYear))
		t[MFreshGraduate.index] = boolv(*ed.GraduatingYear == asOf.Year())
	} else {
		t[MGraduatingYear.index] = Value{Missing: fp.miss(fEducationGraduatingYear)}
		t[MFreshGraduate.index] = Value{Missing: fp.miss(fEducationGraduatingYear)}
	}
	if ed.GraduatingFrom != "" {
		t[MGraduatingFrom.index] = strv(code(ed.GraduatingFrom, household.NormalizeGraduatingFrom))
	} else {
		t[MGraduatingFrom.index] = Value{Missing: fp.miss(fEducationGraduatingFrom)}
	}
	t[MInInternship.index] = fp.optBool(ed.InInternship, fEducationInInternship)
	t[MEconomicHardship.index] = fp.optBool(ed.EconomicHardship, fEducationEconomicHardship)
	if m.Needs != nil {
		t[MNeeds.index] = known(types.NewStringList(types.DefaultTypeAdapter, []string(household.NormalizeNeeds(*m.Needs))))
	} else {
		t[MNeeds.index] = Value{Missing: fp.miss(fNeeds)}
	}
}

// studentByOccupation says whether a member whose education stage is not
// given is at school, as the household register's occupation does: 学生
// (employment status student) is, 离退休 (retired) is not. Any other status
// leaves it to be asked: one in work may study part-time, and a small
// child's status says nothing of kindergarten.
func studentByOccupation(employment string, fp fields) Value {
	switch employment {
	case "student":
		return boolv(true)
	case "retired":
		return boolv(false)
	}
	return Value{Missing: fp.miss(fEducationStage)}
}

func computeHousehold(s *Subject, h *household.Household, asOf time.Time, p Params) {
	t := s.Household
	clear(t)
	t[HSize.index] = intv(int64(len(h.Members)))
	res := household.NormalizeResidence(h.Residence)
	if res != "" {
		t[HResidence.index] = strv(res)
		t[HRural.index] = boolv(res == "rural")
	} else {
		t[HResidence.index] = unknown("residence")
		t[HRural.index] = unknown("residence")
	}
	for _, st := range []struct {
		f    *Fact
		code string
	}{
		{HStatusDibao, household.StatusDibao}, {HStatusDibaoEdge, household.StatusDibaoEdge},
		{HStatusTekun, household.StatusTekun}, {HStatusLowIncome, household.StatusLowIncome},
		{HStatusPoverty, household.StatusPovertyAlleviated}, {HStatusMonitored, household.StatusMonitored},
	} {
		if h.Status == nil {
			t[st.f.index] = unknown("status")
		} else {
			t[st.f.index] = boolv(h.Status.Has(st.code))
		}
	}
	if ok, k := h.PropertyTestPassed(); k {
		t[HPropertyOK.index] = boolv(ok)
	} else {
		t[HPropertyOK.index] = unknown("property_test")
	}
	t[HHardship.index] = optBool(h.HardshipAssessed, "hardship_assessed")

	// Counted income and per-capita income.
	var missing []string
	var total money.Fen
	for _, mt := range s.Members {
		v := mt[MCountedIncome.index]
		if v.Known() {
			total += money.Fen(v.V.(types.Int))
		} else {
			missing = append(missing, v.Missing...)
		}
	}
	asOfMonth := monthStart(asOf)
	history := s.history[:0]
	for _, mi := range h.IncomeHistory {
		if mi.PerCapitaIncome != nil {
			history = append(history, monthIncome{monthIndex(mi.Month.Time), *mi.PerCapitaIncome})
		}
	}
	s.history = history
	var pci *money.Fen
	if len(missing) == 0 {
		t[HCountedIncome.index] = moneyv(total)
		v, _ := money.RoundRat(int64(total), int64(len(h.Members)), money.RoundHalfUp)
		pci = &v
	} else {
		t[HCountedIncome.index] = unknown(missing...)
		if v, ok := history.at(asOfMonth); ok {
			pci = &v
		}
	}
	if pci != nil {
		t[HPerCapitaIncome.index] = moneyv(*pci)
	} else {
		t[HPerCapitaIncome.index] = unknown(missing...)
	}

	// The standard by residence, and the edge line.
	standardOn := func(on time.Time) (money.Fen, Value) {
		if res == "" {
			return 0, unknown("residence")
		}
		name := "dibao_standard_rural"
		if res == "urban" {
			name = "dibao_standard_urban"
		} else if res != "rural" {
			name = "dibao_standard_" + res
		}
		v, ok := p.Money(name, on)
		if !ok {
			return 0, unknown(ParamField(name))
		}
		return v, moneyv(v)
	}
	std, stdv := standardOn(asOf)
	t[HDibaoStandard.index] = stdv
	if stdv.Known() {
		if mult, ok := p.Rate("dibao_edge_multiplier", asOf); ok {
			line, err := money.RoundFloat(float64(std)*mult, money.RoundHalfUp)
			if err == nil {
				t[HDibaoEdgeLine.index] = moneyv(line)
			} else {
				t[HDibaoEdgeLine.index] = unknown(ParamField("dibao_edge_multiplier"))
			}
		} else {
			t[HDibaoEdgeLine.index] = unknown(ParamField("dibao_edge_multiplier"))
		}
	} else {
		t[HDibaoEdgeLine.index] = unknown(stdv.Missing...)
	}

	// Above the standard now, and for how many months in a row.
	switch {
	case pci == nil:
		t[HAboveStandard.index] = unknown(missing...)
		t[HMonthsAbove.index] = unknown(missing...)
		t[HAboveSince.index] = unknown(missing...)
	case !stdv.Known():
		t[HAboveStandard.index] = unknown(stdv.Missing...)
		t[HMonthsAbove.index] = unknown(stdv.Missing...)
		t[HAboveSince.index] = unknown(stdv.Missing...)
	default:
		t[HAboveStandard.index] = boolv(*pci > std)
		run, since, mv := monthsAbove(*pci, std, asOfMonth, history, standardOn, p, asOf)
		t[HMonthsAbove.index] = mv
		if mv.Known() && run > 0 {
			t[HAboveSince.index] = datev(since)
		} else if mv.Known() {
			t[HAboveSince.index] = unknown() // not above: no start month
		} else {
			t[HAboveSince.index] = unknown(mv.Missing...)
		}
	}

	anyOf := func(f *Fact, pred func(mt Table) Value) {
		if !s.Only.wants(f) {
			return // left unknown
		}
		var miss []string
		for _, mt := range s.Members {
			v := pred(mt)
			if v.Known() {
				if bool(v.V.(types.Bool)) {
					t[f.index] = boolv(true)
					return
				}
			} else {
				miss = append(miss, v.Missing...)
			}
		}
		if len(miss) > 0 {
			t[f.index] = unknown(miss...)
		} else {
			t[f.index] = boolv(false)
		}
	}
	anyOf(HAnyEmployed, func(mt Table) Value { return mt[MEmployed.index] })
	anyOf(HAnyDisabled, func(mt Table) Value { return mt[MDisabled.index] })
	anyOf(HAnySevere, func(mt Table) Value { return mt[MSevere.index] })
	anyOf(HAnyDisabledEmployed, func(mt Table) Value { return and(mt[MDisabled.index], mt[MEmployed.index]) })
	anyOf(HAnyAbleToWork, func(mt Table) Value {
		able := mt[MWorkCapacity.index]
		if able.Known() {
			able = boolv(able.V != types.String("total_loss"))
		}
		free := mt[MEmploymentStatus.index]
		switch {
		case free.Known():
			free = boolv(free.V != types.String("student") && free.V != types.String("retired"))
		case mt[MNoOccupation.index].Known():
			// 无业 (not_employed), 灵活就业 (flexible) or 务农 (farming):
			// neither at school nor retired.
			free = boolv(true)
		}
		return and(able, free)
	})
	anyOf(HAnySevereLowerLimb, func(mt Table) Value { return and(mt[MSevere.index], mt[MLowerLimb.index]) })
	anyOf(HAnySevereVisual, func(mt Table) Value {
		visual := mt[MCategory.index]
		if visual.Known() {
			visual = boolv(visual.V == types.String("visual"))
		}
		return and(mt[MSevere.index], visual)
	})
	anyOf(HAnyUnableToEarn, func(mt Table) Value {
		if d := mt[MDisabled.index]; d.V == types.False {
			return d // not disabled: what the rest would need is moot
		}
		lost := mt[MWorkCapacity.index]
		if lost.Known() {
			lost = boolv(lost.V != types.String("full"))
		}
		stable := mt[MStableWorkIncome.index]
		if stable.Known() {
			stable = boolv(stable.V == types.False)
		}
		return and(mt[MDisabled.index], and(lost, stable))
	})

	if !s.Only.wants(HHousingDilapidated, HHousingSelfFund, HHousingPublicRental, HHousingAccessibility) {
		return
	}
	hs := h.Housing
	if hs == nil {
		hs = &household.Housing{}
	}
	t[HHousingDilapidated.index] = optBool(hs.Dilapidated, "housing.dilapidated")
	t[HHousingSelfFund.index] = optBool(hs.CanSelfFund, "housing.can_self_fund")
	t[HHousingPublicRental.index] = optBool(hs.SeekingPublicRental, "housing.seeking_public_rental")
	t[HHousingAccessibility.index] = optBool(hs.NeedsAccessibilityRenovation, "housing.needs_accessibility_renovation")
}

// and is three-valued conjunction: false wins over unknown.
func and(a, b Value) Value {
	af := a.Known() && !bool(a.V.(types.Bool))
	bf := b.Known() && !bool(b.V.(types.Bool))
	switch {
	case af || bf:
		return boolv(false)
	case a.Known() && b.Known():
		return boolv(true)
	case a.Known(): // true: the outcome is b's
		return b
	case b.Known():
		return a
	}
	return unknown(append(append([]string{}, a.Missing...), b.Missing...)...)
}

// monthsAbove counts consecutive months, ending with the evaluation month,
// whose per-capita income was above the standard in force that month.
func monthsAbove(current, std money.Fen, asOfMonth time.Time, history incomeHistory,
	standardOn func(time.Time) (money.Fen, Value), p Params, asOf time.Time) (int, time.Time, Value) {
	if current <= std {
		return 0, time.Time{}, intv(0)
	}
	run, since := 1, asOfMonth
	for k := monthIndex(asOfMonth) - 1; ; k-- {
		m := time.Date(k/12, time.Month(k%12+1), 1, 0, 0, 0, 0, time.UTC)
		pci, ok := history.atIndex(k)
		if !ok {
			// The run may go back further than the history shows. A count
			// already past the longest phase-out decides every rule alike.
			if limit, ok := p.Int("phase_out_months", asOf); ok && int64(run) > limit {
				return run, since, intv(int64(run))
			}
			return run, since, unknown(fmt.Sprintf("income_history[%s]", m.Format("2006-01")))
		}
		s, sv := standardOn(m)
		if !sv.Known() {
			return run, since, unknown(sv.Missing...)
		}
		if pci <= s {
			return run, since, intv(int64(run))
		}
		run++
		since = m
	}
}

// incomeHistory is a household's per-capita income by month. A record
// holds a year or so of months: a scan is cheaper than a map.
type incomeHistory []monthIncome

type monthIncome struct {
	month int // monthIndex
	pci   money.Fen
}

// monthIndex numbers months: year×12 + month − 1.
func monthIndex(t time.Time) int {
	y, m, _ := t.Date()
	return y*12 + int(m) - 1
}

// at is the income recorded for a month; the last entry wins, as in a map
// filled in order.
func (hs incomeHistory) at(month time.Time) (money.Fen, bool) { return hs.atIndex(monthIndex(month)) }

// atIndex is at for a monthIndex.
func (hs incomeHistory) atIndex(k int) (money.Fen, bool) {
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].month == k {
			return hs[i].pci, true
		}
	}
	return 0, false
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// statedAge is the age on asOf of a member whose age the record states
// (household.AgeFrom): ok is false when it states none, or when asOf does
// not settle it.
func statedAge(h *household.Household, m *household.Member, asOf time.Time) (int, bool) {
	if m.Age == nil {
		return 0, false
	}
	stated := asOf
	if h.AsOf != nil {
		stated = h.AsOf.Time
	}
	return household.AgeFrom(*m.Age, stated, asOf)
}

// AgeOn returns the completed years of age on a date. A birthday on 29
// February is reached on 1 March in years without one.
func AgeOn(birth, on time.Time) int { return household.AgeOn(birth, on) }
