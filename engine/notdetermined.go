package engine

import (
	"fmt"
	"strings"
	"time"

	"entitle/engine/facts"
	"entitle/engine/rulepack"
)

// NotDetermined is a benefit of the pack that a result has no determination
// for, and why. With it every benefit of the pack is accounted for in every
// result: determined for some subject, or listed here.
type NotDetermined struct {
	Benefit string `json:"benefit"`
	// BenefitName is the benefit's name; lean results leave it out (look
	// it up by code in the pack).
	BenefitName rulepack.Text `json:"benefit_name,omitzero"`
	// Why is one of NotDeterminedCodes.
	Why string `json:"why"`
	// Text says why in words, with the pack's note on the jurisdiction's
	// documents where it gives one. Lean results leave it out.
	Text *rulepack.Text `json:"text,omitempty"`
	// Citations quote the clauses left out (Why is left_out); their rule
	// is empty, as no rule encodes them. Lean results leave them out.
	Citations []CitationOut `json:"citations,omitempty"`
}

// The reasons a benefit of the pack has no determination. They are stable:
// a code may be added, never renamed.
const (
	// NotDeterminedNoClause: the jurisdiction's documents have no clause for
	// the benefit, and no national rule of the pack applies.
	NotDeterminedNoClause = "no_clause"
	// NotDeterminedLeftOut: the documents have a clause near it that the
	// pack deliberately does not encode as an entitlement (quoted, with the
	// reason).
	NotDeterminedLeftOut = "left_out"
	// NotDeterminedNotInForce: the benefit has rules there, but none in
	// force on the evaluation date.
	NotDeterminedNotInForce = "not_in_force"
	// NotDeterminedNoSubject: a member benefit whose rules concern no member
	// of the household (for most, nobody is disabled).
	NotDeterminedNoSubject = "no_subject"
)

// NotDeterminedCodes lists the codes of NotDetermined.Why.
var NotDeterminedCodes = []string{NotDeterminedNoClause, NotDeterminedLeftOut, NotDeterminedNotInForce, NotDeterminedNoSubject}

// noSubjectText says that no member is one a benefit is for, when the
// benefit has no words for them (concerns_label).
var noSubjectText = rulepack.Text{Zh: "家庭成员中没有此项待遇的对象。", En: "No member of the household is one this benefit is for."}

// notDeterminedTexts holds, made once at load, what a result says of a
// benefit without rules in a jurisdiction (by jurisdiction, then benefit
// order) and of a member benefit that concerns nobody (by benefit order).
type notDeterminedTexts struct {
	noRules   map[string][]NotDetermined
	noSubject []rulepack.Text
	// undecided is, by benefit order, what benefit.CODE reads when the
	// benefit gets no determination (see evaluator.undecided).
	undecided []facts.Value
}

// makeNotDetermined prepares the texts of notDeterminedTexts from the
// pack's coverage matrix (coverage.yaml) and benefits.
func (e *Engine) makeNotDetermined() {
	p := e.pack
	t := &e.notDet
	t.noRules = map[string][]NotDetermined{}
	cells := map[string]map[string]rulepack.Cell{}
	for _, row := range p.Coverage() {
		for _, c := range row.Cells {
			if cells[c.Jurisdiction] == nil {
				cells[c.Jurisdiction] = map[string]rulepack.Cell{}
			}
			cells[c.Jurisdiction][row.Benefit] = c
		}
	}
	for _, j := range p.Jurisdictions {
		var titles []string
		for _, id := range j.Documents {
			if doc, _ := p.Document(id); doc != nil {
				titles = append(titles, "《"+doc.Title+"》")
			}
		}
		docs := rulepack.Text{Zh: strings.Join(titles, "、"), En: strings.Join(titles, ", ")}
		if len(titles) == 0 {
			docs = rulepack.Text{Zh: j.Name.Zh + "的政策文件", En: "the documents of " + j.Name.En}
		}
		list := make([]NotDetermined, len(p.Benefits))
		for _, b := range p.Benefits {
			nd := NotDetermined{Benefit: b.Code, BenefitName: b.Name, Why: NotDeterminedNoClause}
			c := cells[j.Code][b.Code]
			text := rulepack.Text{
				Zh: docs.Zh + "中没有此项待遇的条款，本规则包中也没有适用于此的全国规则。",
				En: "No clause of " + docs.En + " gives this benefit, and no national rule of the pack applies."}
			if c.Status == rulepack.CellExcused {
				nd.Why = NotDeterminedLeftOut
				var zh, en []string
				for _, x := range c.Excused {
					nd.Citations = append(nd.Citations, citationOut(p, "", x.Citation))
					zh, en = append(zh, x.ReasonIn("zh")), append(en, x.ReasonIn("en"))
				}
				text = rulepack.Text{
					Zh: "所依据的文件有相关条款（见引文），但本规则包未将其作为个人待遇认定：" + strings.Join(zh, ""),
					En: "The documents have a clause on it (quoted), which the pack does not determine as an entitlement: " + strings.Join(en, " ")}
			}
			if note := c.NoteIn("zh"); note != "" {
				text.Zh += note
			}
			if note := c.NoteIn("en"); note != "" {
				text.En += " " + note
			}
			nd.Text = &text
			list[b.Order] = nd
		}
		t.noRules[j.Code] = list
	}
	t.undecided = make([]facts.Value, len(p.Benefits))
	for _, b := range p.Benefits {
		t.undecided[b.Order] = facts.Value{Missing: []string{BenefitField(b.Code)}}
	}
	t.noSubject = make([]rulepack.Text, len(p.Benefits))
	for _, b := range p.Benefits {
		if b.Scope != facts.Member {
			continue
		}
		t.noSubject[b.Order] = noSubjectText
		if l := b.ConcernsLabel; l.Zh != "" {
			t.noSubject[b.Order] = rulepack.Text{
				Zh: fmt.Sprintf("家庭成员中没有此项待遇的对象（%s）。", l.Zh),
				En: fmt.Sprintf("No member of the household is one this benefit is for (%s).", l.In("en"))}
		}
	}
}

// BenefitField is the pseudo input field reported missing when a rule
// reads a benefit (benefit.CODE) that the result does not determine: it has
// no rules in the jurisdiction, or none in force on the date. Its label
// says why, as the result's not_determined entry does.
func BenefitField(code string) string { return "benefit:" + code }

// undecided sets what benefit.CODE reads for a benefit that gets no
// determination: unknown, with the benefit as the missing fact, so that a
// rule reading it (living allowance: 低保家庭, or one that qualifies) is
// undetermined with a checklist that says what is open, not an empty one.
func (ev *evaluator) undecided(b *rulepack.Benefit) {
	v := ev.e.notDet.undecided[b.Order]
	if b.Scope == facts.Member {
		for m := range ev.h.Members {
			ev.benM[m][b.Order], ev.strictM[m][b.Order] = v, v
		}
		return
	}
	ev.benH[b.Order], ev.strictH[b.Order] = v, v
}

// undecidedLabel labels BenefitField: whether the benefit applies, and why
// the pack cannot say.
func (ev *evaluator) undecidedLabel(code string) (rulepack.Text, bool) {
	b, ok := ev.e.pack.Benefit(code)
	if !ok {
		return rulepack.Text{}, false
	}
	why := ev.notDeterminedOf(b)
	if why.Text == nil {
		return rulepack.Text{}, false
	}
	return rulepack.Text{
		Zh: "是否符合“" + b.Name.Zh + "”（本规则包未作认定：" + strings.TrimSuffix(why.Text.Zh, "。") + "）",
		En: "whether " + b.Name.En + " applies (the pack does not determine it: " + lowerFirst(strings.TrimSuffix(why.Text.En, ".")) + ")",
	}, true
}

// notDetermined lists the benefits of the pack that the evaluation output
// no determination for, with why.
func (ev *evaluator) notDetermined() []NotDetermined {
	if ev.brief {
		return []NotDetermined{} // a roll audit does not read it
	}
	p := ev.e.pack
	out := ev.out.notDet[:0]
	for _, b := range p.Benefits {
		if ev.sel != nil && !ev.sel.output[b.Order] {
			continue
		}
		if r := ev.detRange[b.Order]; r[1] > r[0] {
			continue
		}
		nd := ev.notDeterminedOf(b)
		if ev.lean {
			nd = NotDetermined{Benefit: nd.Benefit, Why: nd.Why}
		}
		out = append(out, nd)
	}
	if out == nil {
		out = []NotDetermined{}
	}
	ev.out.notDet = out
	return out
}

// notDeterminedOf is what the result says of a benefit it does not
// determine.
func (ev *evaluator) notDeterminedOf(b *rulepack.Benefit) NotDetermined {
	switch rs := ev.ruleSet(b); {
	case rs != nil:
		return rs.notDetermined
	case ev.e.notDet.noRules[ev.jur] != nil:
		return ev.e.notDet.noRules[ev.jur][b.Order]
	default: // not one of the pack's jurisdictions: evaluate refuses it first
		return NotDetermined{Benefit: b.Code, BenefitName: b.Name, Why: NotDeterminedNoClause}
	}
}

// ruleSetNotDetermined is what a result says of a benefit with rules in
// its jurisdiction, in rule set rs, when it has no determination: none of
// the rules is in force on the date, or they concern no member. Made once
// for each place and date, with the rule set.
func (e *Engine) ruleSetNotDetermined(b *rulepack.Benefit, rs *ruleSet, on time.Time) NotDetermined {
	nd := NotDetermined{Benefit: b.Code, BenefitName: b.Name, Why: NotDeterminedNoSubject}
	var text rulepack.Text
	switch {
	case len(rs.household) == 0 && len(rs.member) == 0:
		nd.Why = NotDeterminedNotInForce
		text = notInForceText(rs.inactive, on, e.pack.Meta.AfterPlanPeriod)
	case b.Scope == facts.Member:
		text = e.notDet.noSubject[b.Order]
		for _, r := range rs.member {
			if r.Concerns != b.Concerns {
				// A rule of its own concerns other members.
				text = noSubjectText
				break
			}
		}
	}
	nd.Text = &text
	return nd
}

// notInForceText says why none of a benefit's rules is in force on a
// date: the earliest start still to come, or that they have ended.
func notInForceText(rules []*rulepack.Rule, on time.Time, afterPlan string) rulepack.Text {
	var next *rulepack.Rule
	for _, r := range rules {
		if from := r.Starts(); from != nil && on.Before(*from) {
			if next == nil || from.Before(*next.Starts()) {
				next = r
			}
		}
	}
	day := on.Format("2006-01-02")
	if next != nil {
		return rulepack.Text{
			Zh: fmt.Sprintf("此项待遇的规则自 %s 起适用，评估日期 %s 在此之前。", next.StartsText(), day),
			En: fmt.Sprintf("The rules for this benefit apply from %s; on %s they were not yet in force.", next.StartsText(), day)}
	}
	if afterPlan == "lapse" {
		return rulepack.Text{
			Zh: fmt.Sprintf("此项待遇的规则在评估日期 %s 已不再适用：有效期或所依据规划的规划期已过。", day),
			En: fmt.Sprintf("On %s the rules for this benefit no longer apply: their term, or the period of the plan they rest on, has passed.", day)}
	}
	return rulepack.Text{
		Zh: fmt.Sprintf("此项待遇的规则在评估日期 %s 已不再适用：有效期已过。", day),
		En: fmt.Sprintf("On %s the rules for this benefit no longer apply: their term has passed.", day)}
}

// lowerFirst lowercases an initial ASCII capital, for a sentence quoted
// inside another.
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
