package rollgen

import (
	"context"
	"strconv"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// plantIn plants one discrepancy in an otherwise correct entry and records
// the findings it must cause. It reports false when the household offers no
// place for it (the caller makes another).
func (g *gen) plantIn(plant audit.Class, record int, e *audit.Entry, res *engine.Result) bool {
	h := e.Household
	switch plant {
	case audit.PaidNotEntitled:
		// Pay a member a subsidy the rules refuse.
		for _, code := range []string{"care_subsidy", "living_allowance"} {
			for _, m := range h.Members {
				d := determination(res, code, m.ID)
				if d == nil || d.Status != engine.Ineligible || d.Period != nil || paid(e, code, m.ID) {
					continue
				}
				amount := money.Fen(10000)
				e.Payments = append(e.Payments, pay(code, m.ID, amount, g.asOf))
				g.expect(plant, record, h, m.ID, code)
				return true
			}
		}
	case audit.EntitledNotPaid:
		// Leave out a subsidy the rules grant.
		for i, p := range e.Payments {
			if p.Member == "" {
				continue
			}
			if d := determination(res, p.Benefit, p.Member); d != nil && d.Modality == rulepack.Shall {
				e.Payments = append(e.Payments[:i], e.Payments[i+1:]...)
				g.expect(plant, record, h, p.Member, p.Benefit)
				return true
			}
		}
	case audit.PaidTwice:
		// A payment entered twice.
		for _, p := range e.Payments {
			e.Payments = append(e.Payments, p)
			g.expect(plant, record, h, p.Member, p.Benefit)
			return true
		}
	case audit.AmountDiffers:
		for i, p := range e.Payments {
			d := determination(res, p.Benefit, subject(p))
			if d == nil || d.Amount == nil || d.Amount.Per != "month" {
				continue
			}
			delta := money.Fen(1000 * (1 + g.rng.IntN(5)))
			if g.rng.IntN(2) == 0 && *p.Monthly > delta {
				delta = -delta
			}
			v := *p.Monthly + delta
			e.Payments[i].Monthly = &v
			g.expect(plant, record, h, p.Member, p.Benefit)
			return true
		}
	case audit.PaidPastPhaseOut:
		// A phase-out household paid on after its phase-out, or with no end.
		d := determination(res, "dibao_phase_out", "household")
		if d == nil || d.Period == nil {
			return false
		}
		for i, p := range e.Payments {
			if p.Benefit == "dibao" || p.Benefit == "dibao_phase_out" {
				e.Payments[i].End = nil
				g.expect(plant, record, h, "", p.Benefit)
				return true
			}
		}
		if d.Status == engine.Ineligible || d.Modality != rulepack.Shall {
			e.Payments = append(e.Payments, pay("dibao", "", 45000, g.asOf))
			g.expect(plant, record, h, "", "dibao")
			return true
		}
	case audit.ExclusivePaid:
		// A member of a dibao family also paid dibao as a one-person household.
		if !paid(e, "dibao", "") {
			return false
		}
		for _, m := range h.Members {
			d := determination(res, "dibao_single_person", m.ID)
			if d == nil || m.Disability == nil {
				continue
			}
			e.Payments = append(e.Payments, pay("dibao_single_person", m.ID, 40000, g.asOf))
			g.expect(plant, record, h, m.ID, "dibao_single_person")
			if d.Status == engine.Ineligible {
				g.expect(audit.PaidNotEntitled, record, h, m.ID, "dibao_single_person")
			}
			return true
		}
	case audit.Undetermined:
		// Leave out how long care has lasted, for a member paid the care subsidy.
		for _, p := range e.Payments {
			if p.Benefit != "care_subsidy" {
				continue
			}
			m := memberIndex(h, p.Member)
			saved := h.Members[m].Care.Months
			h.Members[m].Care.Months = nil
			after, err := g.eng.Evaluate(context.Background(), h, g.opts...)
			if err == nil && onlyChange(res, after, "care_subsidy", p.Member) {
				g.expect(plant, record, h, p.Member, "care_subsidy")
				return true
			}
			h.Members[m].Care.Months = saved
		}
	case audit.RecordWarning:
		// A certificate number not in the second-generation form (W001): the
		// record is evaluated as before, but the number cannot be
		// cross-checked. The certificate's validity is given, so nothing
		// else changes.
		for k := range h.Members {
			m := &h.Members[k]
			if m.Disability == nil || m.Disability.CertificateValid == nil || m.Disability.CertificateNo != "" {
				continue
			}
			m.Disability.CertificateNo = strconv.Itoa(10000000 + g.rng.IntN(90000000))
			after, err := g.eng.Evaluate(context.Background(), h, g.opts...)
			if err == nil && unchanged(res, after) && len(after.Warnings) > 0 {
				g.expect(plant, record, h, "", "")
				return true
			}
			m.Disability.CertificateNo = ""
		}
	case audit.InvalidRecord:
		// A record that cannot be evaluated: a grade that does not exist, a
		// wrong check digit, or a birth in the future.
		for k := range h.Members {
			m := &h.Members[k]
			switch g.rng.IntN(3) {
			case 0:
				if m.Disability != nil {
					grade := 5 + g.rng.IntN(3)
					m.Disability.Grade = &grade
				} else {
					continue
				}
			case 1:
				if m.CitizenID == "" {
					continue
				}
				last := m.CitizenID[17]
				wrong := byte('0' + (int(last-'0')+1)%10)
				if last == 'X' {
					wrong = '1'
				}
				m.CitizenID = m.CitizenID[:17] + string(wrong)
			default:
				future := household.Date{Time: g.asOf.AddDate(1, 0, 0)}
				m.BirthDate = &future
			}
			g.expect(plant, record, h, "", "")
			return true
		}
	}
	return false
}

func subject(p audit.Payment) string {
	if p.Member == "" {
		return "household"
	}
	return p.Member
}

func paid(e *audit.Entry, code, member string) bool {
	for _, p := range e.Payments {
		if p.Benefit == code && p.Member == member {
			return true
		}
	}
	return false
}

// unchanged reports whether every determination kept its status and
// modality.
func unchanged(before, after *engine.Result) bool {
	return onlyChange(before, after, "", "") // no determination has benefit ""
}

// onlyChange reports whether the only difference between two results is
// that one determination became undetermined.
func onlyChange(before, after *engine.Result, benefit, subject string) bool {
	if len(before.Determinations) != len(after.Determinations) {
		return false
	}
	for i, a := range after.Determinations {
		b := before.Determinations[i]
		if a.Benefit == benefit && a.Subject == subject {
			if a.Status != engine.Undetermined {
				return false
			}
			continue
		}
		if a.Status != b.Status || a.Modality != b.Modality {
			return false
		}
	}
	return true
}
