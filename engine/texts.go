package engine

import (
	"fmt"
	"strings"

	"entitle/engine/rulepack"
)

// fixedCaveats are the caveats whose text does not depend on the rule.
var fixedCaveats = struct {
	concernOpen, restsOnDiscretion, exceptionOpen, amountUnknown, may, planned rulepack.Text
}{
	concernOpen: rulepack.Text{
		Zh: "尚不清楚本项待遇是否适用于该成员（如是否残疾、是否就业），需补充所缺事实。",
		En: "It is not yet known whether this benefit concerns the member (say, whether disabled or in work)."},
	restsOnDiscretion: rulepack.Text{
		Zh: "本项依据的另一项待遇属于“可以给予”（由经办机构酌定），因此本项也只能酌情给予。",
		En: "This rests on another benefit the office may grant at its discretion, so it is discretionary too."},
	exceptionOpen: rulepack.Text{
		Zh: "符合给予条件，但尚不能排除例外情形，需补充所缺事实。",
		En: "The conditions for granting it are met, but an exception cannot yet be ruled out."},
	amountUnknown: rulepack.Text{
		Zh: "金额尚不能计算，需补充所缺事实。", En: "The amount cannot be computed until the missing facts are given."},
	may: rulepack.Text{
		Zh: "依据条款为“可以”：经办机构可以给予，不是必须给予。",
		En: "The clause says the office may grant it: it is discretionary, not an entitlement."},
	planned: rulepack.Text{
		Zh: "依据条款是规划目标（逐步、探索、鼓励），尚未成为确定的待遇：待当地实施后可能符合。",
		En: "The clause is an aim of the plan, not yet an entitlement: may qualify once implemented."},
}

// ruleTexts are the parts of a result that depend only on the rule, made
// once when the engine is loaded.
type ruleTexts struct {
	// citations are the rule's citations with their documents' titles.
	citations []CitationOut
	// strongerOpen is the caveat when the rule, still open, could make an
	// outcome stronger.
	strongerOpen rulepack.Text
	// planEnded is the caveat when the plan the rule rests on has ended.
	planEnded rulepack.Text
	// openRemark is a caveat rule's remark when its conditions are not yet
	// known: the remark states them as facts, so it is prefixed with them.
	openRemark rulepack.Text
}

// citationOut is a citation as results give it, with its document's title,
// number and plan period; rule is the id of the rule that cites it, or ""
// for a clause no rule encodes.
func citationOut(p *rulepack.Pack, rule string, c rulepack.Citation) CitationOut {
	co := CitationOut{Rule: rule, Doc: c.Doc, Section: c.Section, Quote: c.Quote, Provenance: c.Provenance}
	if doc, _ := p.Document(c.Doc); doc != nil {
		co.Title, co.Number, co.PlanPeriod = doc.Title, doc.Number, planPeriod(doc.PlanPeriod)
	}
	return co
}

// makeTexts makes every rule's texts, by rule order, and the encoder's
// cache of the pack's texts.
func (e *Engine) makeTexts() {
	p := e.pack
	e.ruleTexts = make([]ruleTexts, len(p.Rules))
	for _, r := range p.Rules {
		t := &e.ruleTexts[r.Order]
		t.citations = make([]CitationOut, 0, len(r.AllCitations))
		for _, c := range r.AllCitations {
			t.citations = append(t.citations, citationOut(p, r.ID, c))
		}
		t.citations = t.citations[:len(t.citations):len(t.citations)]
		// The rule's own citations come first, with their documents' titles.
		own := t.citations[:len(r.Citations)]
		t.strongerOpen = rulepack.Text{
			Zh: fmt.Sprintf("若补充所缺事实，可能依据%s，成为“%s”类待遇。", ruleSource(r, own), modalityZh(r.Modality)),
			En: fmt.Sprintf("With the missing facts it may qualify as %s under %s.", r.Modality, ruleSource(r, own))}
		if r.Effect == rulepack.Caveat && r.Remarks != nil {
			t.openRemark = openRemark(r)
		}
		if w := r.PlanPeriod; w != nil && w.From != nil && w.To != nil {
			plan := planTitle(r, own)
			t.planEnded = rulepack.Text{
				Zh: fmt.Sprintf("所依据的%s规划期（%s）已于 %s 结束；本结果按该条款继续有效处理，请核实当地现行政策。", plan, planPeriod(w), w.To.Format("2006-01-02")),
				En: fmt.Sprintf("It rests on %s, whose plan period (%s) ended on %s; it is applied as still in force. Check the current local policy.", plan, planPeriod(w), w.To.Format("2006-01-02"))}
		}
	}
	e.texts = e.makeEncodedTexts()
}

// openRemark is the remark of caveat rule r as shown while its conditions
// are open: a remark says "本户已纳入特困人员救助供养。…", which read alone
// would state as a fact what the record has not yet told.
func openRemark(r *rulepack.Rule) rulepack.Text {
	zh := make([]string, 0, len(r.AllConditions))
	en := make([]string, 0, len(r.AllConditions))
	for _, c := range r.AllConditions {
		zh = append(zh, "“"+c.Label.Zh+"”")
		en = append(en, c.Label.En)
	}
	return rulepack.Text{
		Zh: "以下提示在" + strings.Join(zh, "且") + "时适用，尚待核实：" + r.Remarks.Zh,
		En: "If " + strings.Join(en, " and ") + " (not yet known): " + r.Remarks.En}
}

// ruleSource names where a rule comes from as a reader looks it up: its
// first citation's document title in 《》 and the section, as the citations
// show them. own are the rule's own citations, titles filled in.
func ruleSource(r *rulepack.Rule, own []CitationOut) string {
	if len(own) == 0 {
		return r.ID
	}
	return "《" + own[0].Title + "》" + own[0].Section
}

// planTitle names, in 《》, the plan whose period a rule's PlanPeriod is:
// its first cited document with a plan period (the loader takes the period
// from there, so one is always found when the rule has a period).
func planTitle(r *rulepack.Rule, own []CitationOut) string {
	for _, c := range own {
		if c.PlanPeriod != "" {
			return "《" + c.Title + "》"
		}
	}
	return r.ID
}
