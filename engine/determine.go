package engine

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"cel.dev/cel-go/common/types"

	"entitle/engine/facts"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// benefit determines one benefit for every subject it concerns, adding the
// determinations to ev.dets.
func (ev *evaluator) benefit(b *rulepack.Benefit) {
	bi := b.Order
	start := len(ev.dets)
	defer func() { ev.detRange[bi] = [2]int{start, len(ev.dets)} }()
	rs := ev.ruleSet(b)
	if rs == nil || len(rs.household)+len(rs.member) == 0 {
		ev.undecided(b)
		return
	}
	inactive, overriddenBy, hhRules, memRules := rs.inactive, rs.overriddenBy, rs.household, rs.member
	if len(hhRules) > 0 {
		ev.newSubject()
		a := ev.act(-1)
		d := ev.determine(b, "household", hhRules, inactive, overriddenBy, a)
		ev.benH[bi], ev.strictH[bi] = benefitValues(&d)
		ev.dets = append(ev.dets, d)
	}
	if len(memRules) > 0 {
		for m := range ev.h.Members {
			ev.newSubject()
			a := ev.act(m)
			applicable := ev.applicable[:0]
			var concernMissing []string
			certain := false // some applicable rule surely concerns the member
			concerns := ev.concernMemo[:0]
			for _, r := range memRules {
				if r.Concerns == nil {
					applicable = append(applicable, r)
					certain = true
					continue
				}
				// Rules of a benefit mostly share one concerns expression.
				var val tri
				var missing []string
				found := false
				for _, c := range concerns {
					if c.expr == r.Concerns {
						val, missing, found = c.val, c.missing, true
						break
					}
				}
				if !found {
					val, missing, _ = ev.evalBool(r.Concerns, a)
					concerns = append(concerns, concernResult{r.Concerns, val, missing})
				}
				switch val {
				case triFalse:
					continue
				case triTrue:
					certain = true
				default:
					concernMissing = append(concernMissing, missing...)
				}
				applicable = append(applicable, r)
			}
			ev.concernMemo, ev.applicable = concerns, applicable
			if len(applicable) == 0 {
				ev.benM[m][bi], ev.strictM[m][bi] = facts.Value{V: types.False}, facts.Value{V: types.False}
				continue
			}
			d := ev.determine(b, ev.h.Members[m].ID, applicable, inactive, overriddenBy, a)
			if !certain && d.Status == Eligible {
				// Whether the benefit is about this member at all is open.
				d = ev.openConcern(d)
			}
			if d.Status == Undetermined && len(concernMissing) > 0 && !ev.brief {
				d.Missing = mergeMissing(ev.missing(sortUnique(concernMissing)), d.Missing)
			}
			ev.benM[m][bi], ev.strictM[m][bi] = benefitValues(&d)
			ev.dets = append(ev.dets, d)
		}
	}
}

// ruleSet is how one benefit's rules stand in a jurisdiction on a date:
// which are in force, which replaced, which apply to the household and
// which to members.
type ruleSet struct {
	inactive          []*rulepack.Rule
	overriddenBy      map[string]string
	household, member []*rulepack.Rule
	// notDetermined is what the result says when the benefit gets no
	// determination (not_in_force or no_subject).
	notDetermined NotDetermined
}

// ruleSet returns the benefit's rules for the household's jurisdiction and
// date, made once for each place and date (inForce); nil when the benefit
// has no rules there.
func (ev *evaluator) ruleSet(b *rulepack.Benefit) *ruleSet {
	f := ev.inForce
	if !f.made[b.Order] {
		f.rules[b.Order], f.made[b.Order] = ev.makeRuleSet(b), true
	}
	return f.rules[b.Order]
}

// makeRuleSet sorts the benefit's rules in the household's jurisdiction
// into those in force for the household and for members, and the
// inactive (not in force on the date, or overridden).
func (ev *evaluator) makeRuleSet(b *rulepack.Benefit) *ruleSet {
	p := ev.e.pack
	all := p.RulesFor(ev.jur, b.Code)
	if len(all) == 0 {
		return nil
	}
	after := p.Meta.AfterPlanPeriod
	rs := &ruleSet{overriddenBy: map[string]string{}}
	for _, r := range all {
		if r.InForce(ev.asOf, after) {
			for _, o := range r.Overrides {
				rs.overriddenBy[o] = r.ID
			}
		}
	}
	for _, r := range all {
		switch {
		case !r.InForce(ev.asOf, after) || rs.overriddenBy[r.ID] != "":
			rs.inactive = append(rs.inactive, r)
		case r.Scope == facts.Member:
			rs.member = append(rs.member, r)
		default:
			rs.household = append(rs.household, r)
		}
	}
	rs.notDetermined = ev.e.ruleSetNotDetermined(b, rs, ev.asOf)
	return rs
}

// openConcern turns an outcome into undetermined when it is not known
// whether the benefit concerns the member (say, whether they are disabled).
func (ev *evaluator) openConcern(d Determination) Determination {
	d.Status = Undetermined
	d.Modality = ""
	d.Amount, d.Period = nil, nil
	if ev.brief {
		return d
	}
	d.Reasons = []Reason{}
	d.Caveats = append([]Caveat{{Code: CaveatConcernOpen, Text: fixedCaveats.concernOpen}}, d.Caveats...)
	return d
}

// benefitValues is what benefit.CODE reads, and what it reads when only
// shall entitlements count (strict): true for an eligible outcome that is
// an entitlement (shall or may; only shall when strict), false otherwise,
// unknown when undetermined. The two share the list of missing fields.
func benefitValues(d *Determination) (v, strict facts.Value) {
	switch d.Status {
	case Eligible:
		return facts.Value{V: types.Bool(d.Modality == rulepack.Shall || d.Modality == rulepack.May)},
			facts.Value{V: types.Bool(d.Modality == rulepack.Shall)}
	case Ineligible:
		return facts.Value{V: types.False}, facts.Value{V: types.False}
	}
	var missing []string
	if len(d.Missing) > 0 {
		missing = make([]string, 0, len(d.Missing))
	}
	for _, m := range d.Missing {
		missing = append(missing, m.Field)
	}
	return facts.Value{Missing: missing}, facts.Value{Missing: missing}
}

// determine combines the rules of one benefit for one subject:
//
//   - an exception (deny rule) whose conditions all hold makes it ineligible;
//   - otherwise a grant rule whose conditions all hold makes it eligible,
//     with the strongest modality among such rules, unless an exception is
//     still open (then it is undetermined);
//   - otherwise, if a grant rule is still open, it is undetermined;
//   - otherwise it is ineligible, and every failed condition is a reason.
func (ev *evaluator) determine(b *rulepack.Benefit, subject string, rules, inactive []*rulepack.Rule,
	overriddenBy map[string]string, a *activation) (d Determination) {
	if ev.brief {
		return ev.determineBrief(b, subject, rules, a)
	}
	// Rules, citations and reasons are gathered in scratch lists and
	// copied into the result's slabs at the end.
	d = Determination{Benefit: b.Code, BenefitName: b.Name, Subject: subject,
		Rules: ev.scratchRules[:0], Citations: ev.scratchCites[:0], Reasons: ev.scratchReasons[:0], Missing: []Missing{}, Caveats: []Caveat{}}
	defer ev.keepLists(&d) // d is the named result: the copies are returned
	pt := ev.partition(rules, a, &d)
	trueDeny, openDeny := pt.trueDeny, pt.openDeny
	trueGrant, openGrant, falseGrant, caveats := pt.trueGrant, pt.openGrant, pt.falseGrant, pt.caveats

	var used []ruleOutcome // the rules whose parameters the outcome read
	switch {
	case len(trueDeny) > 0:
		d.Status = Ineligible
		for _, o := range trueDeny {
			ev.cite(&d, o.rule)
			for _, c := range o.conds {
				d.Reasons = append(d.Reasons, ev.reason(c, "deny", a))
			}
		}
		used = trueDeny
	case len(trueGrant) > 0 && len(openDeny) == 0:
		d.Status = Eligible
		best := trueGrant[0]
		d.Modality = best.modality
		for _, o := range trueGrant {
			ev.cite(&d, o.rule)
		}
		if best.modality != best.rule.Modality {
			d.Caveats = append(d.Caveats, Caveat{Code: CaveatRestsOnDiscretion, Rule: best.rule.ID, Text: fixedCaveats.restsOnDiscretion})
		}
		ev.amountAndPeriod(&d, trueGrant, a)
		ev.eligibleCaveats(&d, trueGrant, caveats, a)
		// A stronger rule still open could upgrade a may or planned outcome.
		for _, o := range openGrant {
			if o.modality.Rank() > d.Modality.Rank() {
				d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
				d.Caveats = append(d.Caveats, Caveat{Code: CaveatStrongerRuleOpen, Rule: o.rule.ID, Conditional: true,
					Text: ev.e.ruleTexts[o.rule.Order].strongerOpen})
			}
		}
		used = trueGrant
	case len(trueGrant) > 0:
		d.Status = Undetermined
		for _, o := range openDeny {
			ev.cite(&d, o.rule)
			d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
		}
		d.Caveats = append(d.Caveats, Caveat{Code: CaveatExceptionOpen, Text: fixedCaveats.exceptionOpen})
		used = append(append(ev.scratchUsed[:0], trueGrant...), openDeny...)
		ev.scratchUsed = used[:0]
	case len(openGrant) > 0:
		d.Status = Undetermined
		for _, o := range openGrant {
			ev.cite(&d, o.rule)
			d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
		}
		for _, o := range openDeny {
			d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
		}
		used = openGrant
	default:
		d.Status = Ineligible
		used = relevantFailures(ev.scratchUsed[:0], falseGrant)
		ev.scratchUsed = used[:0]
		start := len(d.Reasons)
		for _, o := range used {
			ev.cite(&d, o.rule)
			for _, c := range o.conds {
				if c.val == triFalse && !hasReason(d.Reasons[start:], c.cond) {
					d.Reasons = append(d.Reasons, ev.reason(c, "grant", a))
				}
			}
		}
		ev.endedPeriod(&d, falseGrant, a)
	}
	d.Citations = dedupeCitations(d.Citations)
	d.ExampleValues = ev.exampleParams(used)
	if len(d.ExampleValues) > 0 && d.Status != Undetermined && ev.lean {
		d.Caveats = append(d.Caveats, Caveat{Code: CaveatExampleValues})
	} else if len(d.ExampleValues) > 0 && d.Status != Undetermined {
		d.Caveats = append(d.Caveats, Caveat{Code: CaveatExampleValues, Text: ev.exampleCaveat(d.ExampleValues)})
	}
	if ev.explain {
		d.Trace = ev.trace(rules, inactive, overriddenBy, a)
	}
	return d
}

// cite adds a rule the determination rests on: its id and its citations,
// which always go together.
func (ev *evaluator) cite(d *Determination, r *rulepack.Rule) {
	d.Rules = append(d.Rules, r.ID)
	d.Citations = append(d.Citations, ev.citations(r)...)
}

// keepLists copies a determination's rules, citations and reasons from
// the scratch lists to the slabs, keeping the scratch lists for the next.
func (ev *evaluator) keepLists(d *Determination) {
	ev.scratchRules, ev.scratchCites, ev.scratchReasons = d.Rules[:0], d.Citations[:0], d.Reasons[:0]
	d.Rules = ev.out.names.copy(d.Rules)
	d.Citations = ev.out.cites.copy(d.Citations)
	d.Reasons = ev.out.reasons.copy(d.Reasons)
	for i := range d.Reasons {
		d.Reasons[i].Facts = ev.out.facts.copy(d.Reasons[i].Facts)
	}
	ev.scratchFacts = ev.scratchFacts[:0]
	// Empty lists are [] in the JSON, not null.
	if d.Rules == nil {
		d.Rules = []string{}
	}
	if d.Citations == nil {
		d.Citations = []CitationOut{}
	}
	if d.Reasons == nil {
		d.Reasons = []Reason{}
	}
}

// partition evaluates a subject's rules and sorts their outcomes, strongest
// first; errors go to d.
func (ev *evaluator) partition(rules []*rulepack.Rule, a *activation, d *Determination) *partition {
	pt := &ev.part
	pt.reset()
	for _, r := range rules {
		o := ev.evalRule(r, a)
		if d != nil {
			d.Errors = append(d.Errors, o.errs...)
		}
		pt.add(o)
	}
	sortByStrength(pt.trueGrant)
	sortByStrength(pt.falseGrant)
	if !ev.brief { // brief reads only the grants' order (determineBrief)
		sortByStrength(pt.openGrant)
		sortByStrength(pt.trueDeny)
		sortByStrength(pt.openDeny)
	}
	return pt
}

// concernResult is the value of one concerns expression for one member.
type concernResult struct {
	expr    *rulepack.Expr
	val     tri
	missing []string
}

// partition sorts one benefit's rule outcomes by effect and value. Its
// slices are reused from one determination to the next.
type partition struct {
	trueDeny, openDeny, trueGrant, openGrant, falseGrant, caveats []ruleOutcome
}

func (p *partition) reset() {
	p.trueDeny, p.openDeny, p.trueGrant = p.trueDeny[:0], p.openDeny[:0], p.trueGrant[:0]
	p.openGrant, p.falseGrant, p.caveats = p.openGrant[:0], p.falseGrant[:0], p.caveats[:0]
}

func (p *partition) add(o ruleOutcome) {
	switch o.rule.Effect {
	case rulepack.Deny:
		switch o.val {
		case triTrue:
			p.trueDeny = append(p.trueDeny, o)
		case triUnknown:
			p.openDeny = append(p.openDeny, o)
		}
	case rulepack.Caveat:
		p.caveats = append(p.caveats, o)
	default:
		switch o.val {
		case triTrue:
			p.trueGrant = append(p.trueGrant, o)
		case triUnknown:
			p.openGrant = append(p.openGrant, o)
		case triFalse:
			p.falseGrant = append(p.falseGrant, o)
		}
	}
}

// hasReason reports whether reasons has one for the condition already (a
// condition inherited by several rules is given once).
func hasReason(reasons []Reason, c *rulepack.Condition) bool {
	for i := range reasons {
		if reasons[i].Condition == c.ID && reasons[i].Rule == c.Rule {
			return true
		}
	}
	return false
}

// relevantFailures appends to out the failed grant rules that explain a refusal. A
// rule that extends another failed rule can only hold when its parent does;
// if it also fails on a condition of its own, that clause was never in reach
// and its conditions would only be noise.
func relevantFailures(out, failed []ruleOutcome) []ruleOutcome {
	failedID := func(id string) bool {
		for _, o := range failed {
			if o.rule.ID == id {
				return true
			}
		}
		return false
	}
	for _, o := range failed {
		ownFailed := false
		for _, c := range o.conds {
			if c.val == triFalse && c.cond.Rule == o.rule.ID {
				ownFailed = true
			}
		}
		if o.rule.Extends != "" && ownFailed && failedID(o.rule.Extends) {
			continue
		}
		out = append(out, o)
	}
	return out
}

// sortByStrength orders outcomes by modality (shall first), local rules
// before national ones, then pack order.
func sortByStrength(list []ruleOutcome) {
	if len(list) < 2 {
		return
	}
	slices.SortStableFunc(list, func(x, y ruleOutcome) int {
		if x.modality.Rank() != y.modality.Rank() {
			return y.modality.Rank() - x.modality.Rank()
		}
		if xn, yn := x.rule.Jurisdiction == "national", y.rule.Jurisdiction == "national"; xn != yn {
			if xn {
				return 1
			}
			return -1
		}
		return x.rule.Order - y.rule.Order
	})
}

func (ev *evaluator) amountAndPeriod(d *Determination, granted []ruleOutcome, a *activation) {
	for _, o := range granted {
		r := o.rule
		if r.Amount == nil {
			continue
		}
		out, missing, err := ev.eval(r.Amount.Expr, a)
		if err != nil {
			d.Errors = append(d.Errors, fmt.Sprintf("%s amount: %v", r.ID, err))
			break
		}
		if types.IsUnknown(out) {
			d.Missing = mergeMissing(d.Missing, ev.missing(missing))
			d.Caveats = append(d.Caveats, Caveat{Code: CaveatAmountUnknown, Rule: r.ID, Text: fixedCaveats.amountUnknown})
			break
		}
		var fen money.Fen
		switch v := out.(type) {
		case types.Int:
			fen = money.Fen(v)
		case types.Double:
			fen, err = money.RoundFloat(float64(v), r.Amount.Rounding)
		default:
			err = fmt.Errorf("amount is %v", out)
		}
		if err != nil {
			d.Errors = append(d.Errors, fmt.Sprintf("%s amount: %v", r.ID, err))
			break
		}
		d.Amount = &Amount{Fen: int64(fen), Yuan: fen.Yuan(), Per: r.Amount.Per, Example: ev.readsExample(r)}
		break
	}
	for _, o := range granted {
		if o.rule.Period != nil {
			ev.period(d, o.rule, a)
			break
		}
	}
}

// period sets the span of a rule's period on a determination, or the
// missing facts it needs.
func (ev *evaluator) period(d *Determination, r *rulepack.Rule, a *activation) {
	start, m1, err1 := ev.eval(r.Period.Start, a)
	months, m2, err2 := ev.eval(r.Period.Months, a)
	if err1 != nil || err2 != nil {
		d.Errors = append(d.Errors, fmt.Sprintf("%s period: %v %v", r.ID, err1, err2))
		return
	}
	ts, ok1 := start.(types.Timestamp)
	n, ok2 := months.(types.Int)
	if !ok1 || !ok2 {
		d.Missing = mergeMissing(d.Missing, ev.missing(slices.Concat(m1, m2)))
		return
	}
	from := time.Date(ts.Year(), ts.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, int(n), -1)
	d.Period = &Period{From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
}

// endedPeriod shows, on an ineligible outcome, the period of a grant rule
// that failed only because its period has run out (period.within).
func (ev *evaluator) endedPeriod(d *Determination, failed []ruleOutcome, a *activation) {
	for _, o := range failed {
		p := o.rule.Period
		if p == nil || p.Within == "" {
			continue
		}
		only := false
		for _, c := range o.conds {
			if c.val != triTrue {
				if c.val != triFalse || c.cond.ID != p.Within {
					only = false
					break
				}
				only = true
			}
		}
		if only {
			ev.period(d, o.rule, a)
			d.Missing = d.Missing[:0]
			if d.Period != nil {
				return
			}
		}
	}
}

func modalityZh(m rulepack.Modality) string {
	switch m {
	case rulepack.Shall:
		return "应当给予"
	case rulepack.May:
		return "可以给予"
	case rulepack.Planned:
		return "规划中"
	}
	return string(m)
}

func (ev *evaluator) eligibleCaveats(d *Determination, granted, caveats []ruleOutcome, a *activation) {
	switch d.Modality {
	case rulepack.May:
		d.Caveats = append(d.Caveats, Caveat{Code: CaveatMay, Text: fixedCaveats.may})
	case rulepack.Planned:
		d.Caveats = append(d.Caveats, Caveat{Code: CaveatPlanned, Text: fixedCaveats.planned})
	}
	for _, o := range granted {
		r := o.rule
		if r.PastPlanPeriod(ev.asOf) && r.PlanPeriod.From != nil && ev.lean {
			d.Caveats = append(d.Caveats, Caveat{Code: CaveatPlanPeriodEnded, Rule: r.ID})
		} else if r.PastPlanPeriod(ev.asOf) && r.PlanPeriod.From != nil {
			d.Caveats = append(d.Caveats, Caveat{Code: CaveatPlanPeriodEnded, Rule: r.ID, Text: ev.e.ruleTexts[r.Order].planEnded})
		}
		if r.Remarks != nil {
			d.Caveats = append(d.Caveats, Caveat{Code: CaveatRemark, Rule: r.ID, Text: *r.Remarks})
		}
	}
	for _, o := range caveats {
		if o.val == triFalse || o.rule.Remarks == nil {
			continue
		}
		c := Caveat{Code: o.rule.ID, Rule: o.rule.ID, Text: *o.rule.Remarks, Citations: slices.Clone(ev.citations(o.rule)),
			Conditional: o.val != triTrue}
		if c.Conditional {
			c.Text = ev.e.ruleTexts[o.rule.Order].openRemark
		}
		d.Caveats = append(d.Caveats, c)
		if o.val == triUnknown {
			d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
		}
	}
}

func planPeriod(w *rulepack.Window) string {
	if w == nil || w.From == nil || w.To == nil {
		return ""
	}
	return fmt.Sprintf("%d–%d", w.From.Year(), w.To.Year())
}

// citations returns a rule's citations, made when the engine was loaded:
// the caller copies them, never changes them.
func (ev *evaluator) citations(r *rulepack.Rule) []CitationOut {
	if ev.lean {
		return nil
	}
	return ev.e.ruleTexts[r.Order].citations
}

// dedupeCitations keeps the first citation of each document and quote.
func dedupeCitations(cs []CitationOut) []CitationOut {
	out := cs[:0]
	for _, c := range cs {
		dup := false
		for _, k := range out {
			if k.Doc == c.Doc && k.Quote == c.Quote {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// readsExample reports whether a rule's expressions read an example
// parameter or definition, directly or through facts and definitions.
func (ev *evaluator) readsExample(r *rulepack.Rule) bool {
	for _, i := range ev.ruleParams[r.Order] {
		if ev.example[i] {
			return true
		}
	}
	for _, i := range ev.ruleDefs[r.Order] {
		if ev.defExample[i] {
			return true
		}
	}
	return false
}

// exampleParams lists the example parameters the rules' expressions read,
// directly or through facts and definitions.
func (ev *evaluator) exampleParams(outs []ruleOutcome) []string {
	p := ev.e.pack
	deps, defs := ev.ruleParams, ev.ruleDefs
	out := ev.scratchNames[:0]
	for _, o := range outs {
		for _, i := range deps[o.rule.Order] {
			if ev.example[i] && !slices.Contains(out, p.Params[i].Name) {
				out = append(out, p.Params[i].Name)
			}
		}
		for _, i := range defs[o.rule.Order] {
			if ev.defExample[i] && !slices.Contains(out, ev.e.defNames[i]) {
				out = append(out, ev.e.defNames[i])
			}
		}
	}
	ev.scratchNames = out[:0]
	if len(out) == 0 {
		return nil
	}
	sort.Strings(out)
	return ev.out.names.copy(out)
}

// exampleNote is the example_values caveat's text for one list of example
// values.
type exampleNote struct {
	names []string
	text  rulepack.Text
}

// exampleCaveat returns the example_values caveat's text for names, made
// once for each list and kept with the evaluator: a jurisdiction's
// outcomes read only a few lists.
func (ev *evaluator) exampleCaveat(names []string) rulepack.Text {
	for _, n := range ev.exampleNotes {
		if slices.Equal(n.names, names) {
			return n.text
		}
	}
	n := ev.e.pack.ValueNames(names)
	t := rulepack.Text{
		Zh: "本结果用到示例参数或示例定义：" + n.Zh + "。它们不是当地公布的标准或定义，须替换后再据以办理。",
		En: "This outcome uses example parameter values or definitions: " + n.En + ". They are not the published local standard or definition."}
	if len(ev.exampleNotes) >= 256 {
		ev.exampleNotes = ev.exampleNotes[:0]
	}
	ev.exampleNotes = append(ev.exampleNotes, exampleNote{slices.Clone(names), t})
	return t
}

func paramIndex(p *rulepack.Pack, name string) int {
	for i, d := range p.Params {
		if d.Name == name {
			return i
		}
	}
	return -1
}
