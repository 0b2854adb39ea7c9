package household

import (
	"strconv"

	"entitle/engine/internal/jsonstr"
	"entitle/engine/money"
)

// AppendJSON appends h to dst as JSON: byte for byte what encoding/json
// writes for it with HTML escaping off (json.Encoder.SetEscapeHTML(false)),
// without the final newline, several times faster. The decision log writes
// each record's input with it.
func AppendJSON(dst []byte, h *Household) []byte {
	if h == nil {
		return append(dst, "null"...)
	}
	var o object
	dst = append(dst, '{')
	if h.SchemaVersion != 0 {
		dst = o.key(dst, "schema_version")
		dst = strconv.AppendInt(dst, int64(h.SchemaVersion), 10)
	}
	dst = o.str(dst, "id", h.ID)
	dst = o.str(dst, "jurisdiction", h.Jurisdiction)
	dst = o.optStr(dst, "residence", h.Residence)
	if h.AsOf != nil {
		dst = o.key(dst, "as_of")
		dst = appendDate(dst, *h.AsOf)
	}
	if h.Status != nil {
		dst = o.key(dst, "status")
		dst = jsonstr.AppendStrings(dst, *h.Status)
	}
	dst = o.optStr(dst, "property_test", h.PropertyTest)
	dst = o.optBool(dst, "hardship_assessed", h.HardshipAssessed)
	if len(h.IncomeHistory) > 0 {
		dst = o.key(dst, "income_history")
		dst = append(dst, '[')
		for i, mi := range h.IncomeHistory {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"month":"`...)
			dst = mi.Month.AppendFormat(dst, "2006-01")
			dst = append(dst, `","per_capita_income":`...)
			if mi.PerCapitaIncome == nil {
				dst = append(dst, "null"...)
			} else {
				dst = appendFen(dst, *mi.PerCapitaIncome)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if hs := h.Housing; hs != nil {
		var in object
		dst = o.open(dst, "housing")
		dst = in.optBool(dst, "dilapidated", hs.Dilapidated)
		dst = in.optBool(dst, "can_self_fund", hs.CanSelfFund)
		dst = in.optBool(dst, "seeking_public_rental", hs.SeekingPublicRental)
		dst = in.optBool(dst, "needs_accessibility_renovation", hs.NeedsAccessibilityRenovation)
		dst = append(dst, '}')
	}
	dst = o.key(dst, "members")
	if h.Members == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range h.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendMember(dst, &h.Members[i])
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func appendMember(dst []byte, m *Member) []byte {
	var o object
	dst = append(dst, '{')
	dst = o.str(dst, "id", m.ID)
	dst = o.optStr(dst, "name", m.Name)
	dst = o.optStr(dst, "citizen_id", m.CitizenID)
	dst = o.optStr(dst, "relation", m.Relation)
	if m.BirthDate != nil {
		dst = o.key(dst, "birth_date")
		dst = appendDate(dst, *m.BirthDate)
	}
	dst = o.optInt(dst, "age", m.Age)
	dst = o.optBool(dst, "disabled", m.Disabled)
	if d := m.Disability; d != nil {
		var in object
		dst = o.open(dst, "disability")
		dst = in.optStr(dst, "category", d.Category)
		dst = in.optInt(dst, "grade", d.Grade)
		dst = in.optStr(dst, "certificate_no", d.CertificateNo)
		dst = in.optBool(dst, "certificate_valid", d.CertificateValid)
		dst = in.optBool(dst, "lower_limb", d.LowerLimb)
		dst = in.optBool(dst, "autism", d.Autism)
		dst = append(dst, '}')
	}
	if c := m.Care; c != nil {
		var in object
		dst = o.open(dst, "care")
		dst = in.optBool(dst, "needed", c.Needed)
		dst = in.optBool(dst, "long_term", c.LongTerm)
		dst = in.optInt(dst, "months", c.Months)
		dst = append(dst, '}')
	}
	if c := m.Income; c != nil {
		var in object
		dst = o.open(dst, "income")
		dst = in.optFen(dst, "wages", c.Wages)
		dst = in.optFen(dst, "business", c.Business)
		dst = in.optFen(dst, "pension", c.Pension)
		dst = in.optFen(dst, "living_allowance", c.LivingAllowance)
		dst = in.optFen(dst, "care_subsidy", c.CareSubsidy)
		dst = in.optFen(dst, "other_assistance", c.OtherAssistance)
		dst = in.optFen(dst, "other", c.Other)
		dst = append(dst, '}')
	}
	if e := m.Employment; e != nil {
		var in object
		dst = o.open(dst, "employment")
		dst = in.optStr(dst, "status", e.Status)
		dst = in.optFen(dst, "costs", e.Costs)
		dst = in.optBool(dst, "sheltered", e.Sheltered)
		dst = append(dst, '}')
	}
	dst = o.optStr(dst, "work_capacity", m.WorkCapacity)
	dst = o.optBool(dst, "stable_work_income", m.StableWorkIncome)
	dst = o.optBool(dst, "orphan_guarantee", m.OrphanGuarantee)
	dst = o.optBool(dst, "work_injury_care_allowance", m.WorkInjuryCareAllowance)
	dst = o.optBool(dst, "other_welfare_subsidy", m.OtherWelfareSubsidy)
	dst = o.optBool(dst, "family_support", m.FamilySupport)
	dst = o.optBool(dst, "tekun", m.Tekun)
	if s := m.Insurance; s != nil {
		var in object
		dst = o.open(dst, "insurance")
		dst = in.optBool(dst, "resident_pension", s.ResidentPension)
		dst = in.optBool(dst, "resident_medical", s.ResidentMedical)
		dst = append(dst, '}')
	}
	if e := m.Education; e != nil {
		var in object
		dst = o.open(dst, "education")
		dst = in.optStr(dst, "stage", e.Stage)
		dst = in.optInt(dst, "graduating_year", e.GraduatingYear)
		dst = in.optStr(dst, "graduating_from", e.GraduatingFrom)
		dst = in.optBool(dst, "in_internship", e.InInternship)
		dst = in.optBool(dst, "economic_hardship", e.EconomicHardship)
		dst = append(dst, '}')
	}
	if m.Needs != nil {
		dst = o.key(dst, "needs")
		dst = jsonstr.AppendStrings(dst, *m.Needs)
	}
	return append(dst, '}')
}

// object writes the members of one JSON object, a comma before each but
// the first.
type object struct{ started bool }

func (o *object) key(dst []byte, name string) []byte {
	if o.started {
		dst = append(dst, ',')
	}
	o.started = true
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

// open starts an object nested as the member name, to be written with an
// object of its own; the caller closes it.
func (o *object) open(dst []byte, name string) []byte {
	return append(o.key(dst, name), '{')
}

func (o *object) str(dst []byte, name, s string) []byte {
	return jsonstr.Append(o.key(dst, name), s)
}

// The opt methods leave out what omitempty leaves out: an empty string, a
// nil pointer.

func (o *object) optStr(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	return o.str(dst, name, s)
}

func (o *object) optBool(dst []byte, name string, b *bool) []byte {
	if b == nil {
		return dst
	}
	return strconv.AppendBool(o.key(dst, name), *b)
}

func (o *object) optInt(dst []byte, name string, n *int) []byte {
	if n == nil {
		return dst
	}
	return strconv.AppendInt(o.key(dst, name), int64(*n), 10)
}

func (o *object) optFen(dst []byte, name string, f *money.Fen) []byte {
	if f == nil {
		return dst
	}
	return appendFen(o.key(dst, name), *f)
}

// appendFen writes an amount as its yuan string (money.Fen's MarshalText).
func appendFen(dst []byte, f money.Fen) []byte {
	return jsonstr.Append(dst, f.Yuan())
}

func appendDate(dst []byte, d Date) []byte {
	dst = append(dst, '"')
	dst = d.AppendFormat(dst, "2006-01-02")
	return append(dst, '"')
}
