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

// continued marks a benefit that another one continues (paid_as in
// benefits.yaml: the phase-out is paid as dibao). A household whose income
// has passed the dibao standard is ineligible for dibao, yet keeps it
// during the phase-out; the dibao determination says so, so that a
// caseworker who reads that card alone does not stop the payment.
//
// The caveat goes on each determination of to that a determination of b,
// for the same subject, continues. It is firm when b's is eligible, and
// conditional when b's is undetermined and to's ineligible (the phase-out
// then waits on facts the caseworker should ask).
func (ev *evaluator) continued(to, b *rulepack.Benefit) {
	from, into := ev.detRange[b.Order], ev.detRange[to.Order]
	for i := from[0]; i < from[1]; i++ {
		s := &ev.dets[i]
		for j := into[0]; j < into[1]; j++ {
			d := &ev.dets[j]
			firm := s.Status == Eligible && d.Status != Eligible
			open := s.Status == Undetermined && d.Status == Ineligible
			if d.Subject == s.Subject && (firm || open) {
				d.Caveats = slices.Insert(d.Caveats, 0, ev.continuedCaveat(s, b.Name))
			}
		}
	}
}

// continuedCaveat is the caveat on a benefit that s, a determination of
// the benefit named name, continues.
func (ev *evaluator) continuedCaveat(s *Determination, name rulepack.Text) Caveat {
	c := Caveat{Code: CaveatContinuedBy, Conditional: s.Status != Eligible}
	if len(s.Rules) > 0 {
		c.Rule = s.Rules[0]
	}
	switch {
	case ev.lean:
	case c.Conditional:
		c.Text = rulepack.Text{
			Zh: "本项可能在“" + name.Zh + "”内继续发放，所缺信息见该项。",
			En: "It may continue to be paid under “" + name.En + "”; see that benefit for the facts still missing."}
	case s.Period != nil:
		c.Text = rulepack.Text{
			Zh: "本项在“" + name.Zh + "”（" + s.Period.From + " 至 " + s.Period.To + "）内继续发放，见该项。",
			En: "It continues to be paid under “" + name.En + "” (" + s.Period.From + " to " + s.Period.To + "); see that benefit."}
	default:
		c.Text = rulepack.Text{
			Zh: "本项在“" + name.Zh + "”内继续发放，见该项。",
			En: "It continues to be paid under “" + name.En + "”; see that benefit."}
	}
	return c
}

// separateClaim marks a household benefit that a member may claim alone
// (separate_claim_to in benefits.yaml: dibao_single_person). A family
// refused dibao may have a severely disabled member who can apply for it
// alone; the dibao determination names each such member, so that a
// caseworker who reads that card alone does not turn the member away.
//
// A member's caveat is firm when b's determination for the member is
// eligible, and conditional when it is undetermined and to's ineligible.
func (ev *evaluator) separateClaim(to, b *rulepack.Benefit) {
	from, into := ev.detRange[b.Order], ev.detRange[to.Order]
	for j := into[0]; j < into[1]; j++ {
		d := &ev.dets[j]
		var add []Caveat
		for i := from[0]; i < from[1]; i++ {
			s := &ev.dets[i]
			firm := s.Status == Eligible && d.Status != Eligible
			open := s.Status == Undetermined && d.Status == Ineligible
			if firm || open {
				add = append(add, ev.separateClaimCaveat(s, b.Name))
			}
		}
		d.Caveats = slices.Insert(d.Caveats, 0, add...)
	}
}

// separateClaimCaveat is the caveat on a household benefit that the member
// of s, a determination of the benefit named name, may claim alone.
func (ev *evaluator) separateClaimCaveat(s *Determination, name rulepack.Text) Caveat {
	c := Caveat{Code: CaveatSeparateClaim, Conditional: s.Status != Eligible}
	if len(s.Rules) > 0 {
		c.Rule = s.Rules[0]
	}
	if ev.lean {
		return c
	}
	who := "成员 " + s.Subject + " "
	for i := range ev.h.Members {
		if m := &ev.h.Members[i]; m.ID == s.Subject && m.Name != "" {
			who = "成员 " + s.Subject + "（" + m.Name + "）"
		}
	}
	if c.Conditional {
		c.Text = rulepack.Text{
			Zh: who + "可能可以单独申请本项，所缺信息见“" + name.Zh + "”。",
			En: "Member " + s.Subject + " may be able to claim it alone; see “" + name.En + "” for the facts still missing."}
	} else {
		c.Text = rulepack.Text{
			Zh: who + "可以单独申请本项，见“" + name.Zh + "”。",
			En: "Member " + s.Subject + " may claim it alone; see “" + name.En + "”."}
	}
	return c
}
