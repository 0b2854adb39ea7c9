package engine

import (
	"slices"

	"entitle/engine/rulepack"
)

// continuedCaveats marks a benefit that another one continues (paid_as in
// benefits.yaml: the phase-out is paid as dibao). A household whose income
// has passed the dibao standard is ineligible for dibao, yet keeps it
// during the phase-out; the dibao determination says so, so that a
// caseworker who reads that card alone does not stop the payment.
//
// The caveat is firm when the continuing benefit is eligible, and
// conditional when it is undetermined and the benefit it continues is
// ineligible (the phase-out then waits on facts the caseworker should ask).
func (ev *evaluator) continuedCaveats() {
	if ev.brief {
		return
	}
	for _, to := range ev.e.pack.Benefits {
		for _, b := range to.ContinuedBy {
			ev.continued(to, b)
		}
	}
}

// continued adds the caveat to each determination of to that a
// determination of b, for the same subject, continues.
func (ev *evaluator) continued(to, b *rulepack.Benefit) {
	from, into := ev.detRange[b.Order], ev.detRange[to.Order]
	for i := from[0]; i < from[1]; i++ {
		s := &ev.dets[i]
		for j := into[0]; j < into[1]; j++ {
			d := &ev.dets[j]
			firm := s.Status == Eligible && d.Status != Eligible
			open := s.Status == Undetermined && d.Status == Ineligible
			if d.Subject == s.Subject && (firm || open) {
				// First: it decides what the card means.
				d.Caveats = slices.Insert(d.Caveats, 0, ev.continuedCaveat(s, b.Name))
			}
		}
	}
}

// continuedCaveat is the caveat on a benefit that s, a determination of
// the benefit named name, continues.
func (ev *evaluator) continuedCaveat(s *Determination, name rulepack.Text) Caveat {
	c := Caveat{Code: "continued_by", Conditional: s.Status != Eligible}
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
