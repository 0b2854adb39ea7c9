package engine

import (
	"slices"

	"entitle/engine/rulepack"
)

// The caveats in this file point from one benefit's determination to
// another's that changes what it means for the caseworker: a refused dibao
// that the phase-out continues, or that a member may claim alone.

// crossRefCaveats adds them once every benefit has been determined.
func (ev *evaluator) crossRefCaveats() {
	if ev.brief {
		return
	}
	for _, to := range ev.e.pack.Benefits {
		for _, b := range to.ClaimedSeparatelyBy {
			ev.separateClaim(to, b)
		}
		// Inserted last, so first: it decides what the card means.
		for _, b := range to.ContinuedBy {
			ev.continued(to, b)
		}
	}
}

// crossRef is the caveat with code that s, a determination of another
// benefit, puts on d, and whether it applies: firm when s is eligible and d
// is not, conditional when s is undetermined and d ineligible (s then waits
// on facts the caseworker should ask). Its rule is s's first.
func crossRef(code string, s, d *Determination) (Caveat, bool) {
	firm := s.Status == Eligible && d.Status != Eligible
	open := s.Status == Undetermined && d.Status == Ineligible
	c := Caveat{Code: code, Conditional: open}
	if len(s.Rules) > 0 {
		c.Rule = s.Rules[0]
	}
	return c, firm || open
}

// continued marks a benefit that another one continues (paid_as in
// benefits.yaml: the phase-out is paid as dibao). A household whose income
// has passed the dibao standard is ineligible for dibao, yet keeps it
// during the phase-out; the dibao determination says so, so that a
// caseworker who reads that card alone does not stop the payment.
//
// The caveat goes on each determination of to that a determination of b,
// for the same subject, continues.
func (ev *evaluator) continued(to, b *rulepack.Benefit) {
	from, into := ev.detRange[b.Order], ev.detRange[to.Order]
	for i := from[0]; i < from[1]; i++ {
		s := &ev.dets[i]
		for j := into[0]; j < into[1]; j++ {
			d := &ev.dets[j]
			if d.Subject != s.Subject {
				continue
			}
			if c, ok := crossRef(CaveatContinuedBy, s, d); ok {
				if !ev.lean {
					c.Text = continuedText(s, b.Name, c.Conditional)
				}
				d.Caveats = slices.Insert(d.Caveats, 0, c)
			}
		}
	}
}

// continuedText says that s, a determination of the benefit named name,
// continues the benefit it is put on.
func continuedText(s *Determination, name rulepack.Text, conditional bool) rulepack.Text {
	switch {
	case conditional:
		return rulepack.Text{
			Zh: "本项可能在“" + name.Zh + "”内继续发放，所缺信息见该项。",
			En: "It may continue to be paid under “" + name.En + "”; see that benefit for the facts still missing."}
	case s.Period != nil:
		return rulepack.Text{
			Zh: "本项在“" + name.Zh + "”（" + s.Period.From + " 至 " + s.Period.To + "）内继续发放，见该项。",
			En: "It continues to be paid under “" + name.En + "” (" + s.Period.From + " to " + s.Period.To + "); see that benefit."}
	default:
		return rulepack.Text{
			Zh: "本项在“" + name.Zh + "”内继续发放，见该项。",
			En: "It continues to be paid under “" + name.En + "”; see that benefit."}
	}
}

// separateClaim marks a household benefit that a member may claim alone
// (separate_claim_to in benefits.yaml: dibao_single_person). A family
// refused dibao may have a severely disabled member who can apply for it
// alone; the dibao determination names each such member, in record order,
// so that a caseworker who reads that card alone does not turn the member
// away.
func (ev *evaluator) separateClaim(to, b *rulepack.Benefit) {
	from, into := ev.detRange[b.Order], ev.detRange[to.Order]
	for j := into[0]; j < into[1]; j++ {
		d := &ev.dets[j]
		var add []Caveat
		for i := from[0]; i < from[1]; i++ {
			s := &ev.dets[i]
			if c, ok := crossRef(CaveatSeparateClaim, s, d); ok {
				if !ev.lean {
					c.Text = ev.separateClaimText(s.Subject, b.Name, c.Conditional)
				}
				add = append(add, c)
			}
		}
		d.Caveats = slices.Insert(d.Caveats, 0, add...)
	}
}

// separateClaimText says that member id may claim alone, through the
// benefit named name, the benefit it is put on.
func (ev *evaluator) separateClaimText(id string, name rulepack.Text, conditional bool) rulepack.Text {
	who := "成员 " + id + " "
	for i := range ev.h.Members {
		if m := &ev.h.Members[i]; m.ID == id && m.Name != "" {
			who = "成员 " + id + "（" + m.Name + "）"
		}
	}
	if conditional {
		return rulepack.Text{
			Zh: who + "可能可以单独申请本项，所缺信息见“" + name.Zh + "”。",
			En: "Member " + id + " may be able to claim it alone; see “" + name.En + "” for the facts still missing."}
	}
	return rulepack.Text{
		Zh: who + "可以单独申请本项，见“" + name.Zh + "”。",
		En: "Member " + id + " may claim it alone; see “" + name.En + "”."}
}
