package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"entitle/engine/facts"
	"entitle/engine/household"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// tri is a three-valued truth value, plus error.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
	triError
)

func (t tri) String() string { return [...]string{"false", "true", "unknown", "error"}[t] }

// condResult is the value of one condition for one subject.
type condResult struct {
	cond    *rulepack.Condition
	val     tri
	missing []string
	err     error
}

// ruleOutcome is the value of one rule for one subject.
type ruleOutcome struct {
	rule *rulepack.Rule
	// modality is the rule's, or may when the rule holds only through a
	// benefit that is itself discretionary.
	modality rulepack.Modality
	val      tri
	conds    []condResult
	missing  []string
	errs     []string
}

// evaluator holds the state of one household's evaluation.
type evaluator struct {
	e       *Engine
	ctx     context.Context
	h       *household.Household
	asOf    time.Time
	asOfVal facts.Value // asOf as CEL reads it, boxed once
	jur     string
	defs    []*rulepack.DefValue // the definitions in force (inForce.defs)
	explain bool
	lean    bool
	// brief: statuses, modalities, amounts and periods only (Brief).
	brief bool
	acts  []activation // [0] the household, [i+1] member i
	// actFor is, for each activation, the household it was made for;
	// household counts the households evaluated.
	actFor    []uint64
	household uint64
	// Scratch reused across one household's evaluation: condition results
	// of evaluated rules, the partition of one benefit's rules, and the
	// determinations made so far.
	condArena   []condResult
	part        partition
	dets        []Determination
	concernMemo []concernResult
	applicable  []*rulepack.Rule
	// residence is the household's, normalised, for parameter dependencies.
	residence string
	// ruleParams and ruleDefs are the Engine's lists for the household's
	// jurisdiction and residence, by rule order.
	ruleParams, ruleDefs [][]int
	subj                 *facts.Subject
	params               []facts.Value
	example              []bool // per parameter: its value is an example
	// defExample marks the definitions whose meaning in force is an example.
	defExample []bool
	defH       []facts.Value
	defM       [][]facts.Value
	benH       []facts.Value
	benM       [][]facts.Value
	// strictH and strictM: benefit values true only for shall entitlements.
	strictH []facts.Value
	strictM [][]facts.Value
	cov     *Coverage
	// memo holds condition results for the current subject, by Index.
	memo    []condResult
	memoGen []uint32
	gen     uint32
	// sel limits the benefits evaluated (nil: all).
	sel *selection
	// inForceSets keeps what applies at each place and date met so far,
	// across households; inForce is the current household's.
	inForceSets map[placeDate]*inForce
	inForce     *inForce
	// detRange is, by benefit order, where its determinations are in dets.
	detRange [][2]int
	// Lists of the determination being made (scratch), and the slabs the
	// result's copies of them come from.
	scratchRules   []string
	scratchCites   []CitationOut
	scratchReasons []Reason
	scratchUsed    []ruleOutcome
	scratchNames   []string
	scratchFacts   []FactValue
	// labels keeps the missing facts labelled for this household (a
	// member's fields are labelled with the member's id and name).
	labels map[string]Missing
	// exampleNotes keeps the example_values caveats made (exampleCaveat).
	exampleNotes []exampleNote
	// out is where the result's memory comes from: the caller's Scratch
	// (Into), or own, which gives new memory for each result.
	out *Scratch
	own Scratch
}

// newEvaluator prepares the evaluation of one household, reusing scratch
// space from earlier evaluations.
func (e *Engine) newEvaluator(ctx context.Context, h *household.Household, asOf time.Time, c evalConfig, sel *selection) *evaluator {
	p := e.pack
	ev, _ := e.pool.Get().(*evaluator)
	if ev == nil {
		ev = &evaluator{e: e, memo: make([]condResult, len(p.Conditions)), memoGen: make([]uint32, len(p.Conditions)),
			params: make([]facts.Value, len(p.Params)), example: make([]bool, len(p.Params)),
			defH: make([]facts.Value, len(p.Defs)), benH: make([]facts.Value, len(p.Benefits)), strictH: make([]facts.Value, len(p.Benefits)),
			defExample: make([]bool, len(p.Defs))}
	}
	if !ev.asOf.Equal(asOf) || ev.asOfVal.V == nil {
		ev.asOfVal = facts.Value{V: types.Timestamp{Time: asOf}}
	}
	ev.ctx, ev.h, ev.asOf, ev.jur, ev.explain, ev.lean, ev.cov = ctx, h, asOf, h.Jurisdiction, c.explain, c.lean, c.cov
	ev.brief = c.brief && c.cov == nil && !c.explain
	ev.gen++ // invalidates every memo entry of the previous household
	ev.household++
	ev.condArena, ev.dets = ev.condArena[:0], ev.dets[:0]
	if ev.out = &ev.own; c.into != nil {
		ev.out = c.into
	}
	ev.out.reset(c.into != nil)
	if len(ev.detRange) != len(p.Benefits) {
		ev.detRange = make([][2]int, len(p.Benefits))
	}
	clear(ev.detRange)
	ev.inForce = ev.inForceAt(ev.jur, asOf)
	copy(ev.params, ev.inForce.values)
	copy(ev.example, ev.inForce.example)
	ev.defs = ev.inForce.defs
	ev.sel = sel
	if ev.subj == nil {
		ev.subj = &facts.Subject{}
	}
	ev.subj.Only = nil
	if sel != nil {
		ev.subj.Only = sel.facts
	}
	ev.subj = facts.ComputeInto(ev.subj, h, asOf, rulepack.ParamSource{Pack: p, Jurisdiction: ev.jur})
	clear(ev.defH)
	clear(ev.benH)
	clear(ev.strictH)
	n := len(h.Members)
	for len(ev.defM) < n {
		ev.defM = append(ev.defM, make([]facts.Value, len(p.Defs)))
		ev.benM = append(ev.benM, make([]facts.Value, len(p.Benefits)))
		ev.strictM = append(ev.strictM, make([]facts.Value, len(p.Benefits)))
	}
	for i := 0; i < n; i++ {
		clear(ev.defM[i])
		clear(ev.benM[i])
		clear(ev.strictM[i])
	}
	ev.residence = household.NormalizeResidence(h.Residence)
	ev.ruleParams, ev.ruleDefs = e.ruleParams[ev.jur][ev.residence], e.ruleDefs[ev.jur]
	if ev.labels == nil {
		ev.labels = make(map[string]Missing)
	}
	clear(ev.labels)
	return ev
}

// inForce is what applies in one jurisdiction on one date: the parameters'
// values, the definitions' meanings and, as they are first asked for, the
// benefits' rule sets.
type inForce struct {
	values  []facts.Value
	example []bool
	defs    []*rulepack.DefValue // by DefDecl index; nil where none is in force
	// rules holds, by benefit order, the rule sets made so far (ruleSet);
	// made marks them, since a benefit without rules there has none.
	rules []*ruleSet
	made  []bool
}

type placeDate struct {
	jur string
	on  time.Time
}

// inForceAt looks the parameters and definitions up once per jurisdiction
// and date, and keeps them with the evaluator for the next household.
func (ev *evaluator) inForceAt(jur string, on time.Time) *inForce {
	k := placeDate{jur, on}
	if f, ok := ev.inForceSets[k]; ok {
		return f
	}
	if ev.inForceSets == nil || len(ev.inForceSets) > 1024 {
		ev.inForceSets = map[placeDate]*inForce{}
	}
	p := ev.e.pack
	f := &inForce{values: make([]facts.Value, len(p.Params)), example: make([]bool, len(p.Params)), defs: make([]*rulepack.DefValue, len(p.Defs)),
		rules: make([]*ruleSet, len(p.Benefits)), made: make([]bool, len(p.Benefits))}
	for i, d := range p.Defs {
		if dv, ok := p.DefValue(jur, d.Name, on); ok {
			f.defs[i] = dv
		}
	}
	for i, d := range p.Params {
		v, ok := p.ParamValue(jur, d.Name, on)
		if !ok {
			f.values[i] = facts.Value{Missing: []string{facts.ParamField(d.Name)}}
			continue
		}
		f.example[i] = v.Provenance == rulepack.Example
		switch d.Type {
		case rulepack.ParamMoney:
			f.values[i] = facts.Value{V: types.Int(int64(v.Money))}
		case rulepack.ParamInt:
			f.values[i] = facts.Value{V: types.Int(v.Int)}
		case rulepack.ParamRate:
			f.values[i] = facts.Value{V: types.Double(v.Rate)}
		case rulepack.ParamBool:
			f.values[i] = facts.Value{V: types.Bool(v.Bool)}
		}
	}
	ev.inForceSets[k] = f
	return f
}

// release returns an evaluator's scratch space to the pool.
func (e *Engine) release(ev *evaluator) {
	ev.ctx, ev.h, ev.cov, ev.sel, ev.out = nil, nil, nil, nil, nil
	ev.own.reset(false) // the result made in it is the caller's
	e.pool.Put(ev)
}

// act returns the activation for the household (member < 0) or a member.
// Activations live in the evaluator and are reused.
func (ev *evaluator) act(member int) *activation {
	for len(ev.acts) <= member+1 {
		ev.acts = append(ev.acts, activation{})
		ev.actFor = append(ev.actFor, 0)
	}
	a := &ev.acts[member+1]
	if ev.actFor[member+1] == ev.household {
		return a // made for this household already
	}
	ev.actFor[member+1] = ev.household
	*a = activation{s: ev.e.slots, hh: ev.subj.Household, params: ev.params, defH: ev.defH, benH: ev.benH,
		strictH: ev.strictH, asOf: ev.asOfVal}
	if member >= 0 {
		a.mem, a.defM, a.benM, a.strictM = ev.subj.Members[member], ev.defM[member], ev.benM[member], ev.strictM[member]
	}
	return a
}

// newSubject clears the condition memo for the next subject.
func (ev *evaluator) newSubject() { ev.gen++ }

// eval evaluates an expression by its compiled closures (by the CEL
// programs if it has none: fast when every variable it reads is known, by
// partial evaluation otherwise). It returns the value (possibly a CEL
// unknown) and, when unknown, the input fields to ask for.
func (ev *evaluator) eval(e *rulepack.Expr, a *activation) (ref.Val, []string, error) {
	info := ev.e.slots.info(e)
	if f := info.fn; f != nil {
		out := f(a)
		if verifyCompiled {
			ev.verify(e, a, out)
		}
		switch v := out.(type) {
		case *types.Err:
			return out, nil, v
		case *types.Unknown:
			return out, missingOf(v, a), nil
		}
		return out, nil, nil
	}
	return ev.evalCEL(e, a)
}

// evalCEL evaluates an expression by its CEL programs.
func (ev *evaluator) evalCEL(e *rulepack.Expr, a *activation) (ref.Val, []string, error) {
	var unknown []*slot
	for _, s := range ev.e.slots.info(e).slots {
		if !a.known(s) {
			unknown = append(unknown, s)
		}
	}
	if len(unknown) == 0 {
		out, _, err := e.Fast.Eval(a)
		return out, nil, err
	}
	patterns := make([]*cel.AttributePatternType, len(unknown))
	for i, s := range unknown {
		patterns[i] = s.pattern
	}
	pv, err := cel.PartialVars(a, patterns...)
	if err != nil {
		return nil, nil, err
	}
	out, _, err := e.Partial.Eval(pv)
	if err != nil {
		return nil, nil, err
	}
	if u, ok := out.(*types.Unknown); ok {
		return out, missingOf(u, a), nil
	}
	return out, nil, nil
}

// missingOf lists the input fields behind an unknown's variables.
func missingOf(u *types.Unknown, a *activation) []string {
	if sl, ok := a.s.unknowns[u]; ok {
		// One variable's unknown: its fields (the fact table's own list
		// when already in order; callers copy before changing one).
		return uniqueSorted(a.missingOfSlot(sl))
	}
	var missing []string
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			missing = append(missing, a.missingOf(t.Variable())...)
		}
	}
	return sortUnique(missing)
}

// verify records a compiled result that differs from the CEL program's:
// another value, or another list of missing fields (tests only).
func (ev *evaluator) verify(e *rulepack.Expr, a *activation, got ref.Val) {
	want, wantMissing, err := ev.evalCEL(e, a)
	if err != nil {
		want = types.WrapErr(err)
	}
	gu, gok := got.(*types.Unknown)
	if _, wok := want.(*types.Unknown); gok || wok {
		if !gok || !wok || !slices.Equal(missingOf(gu, a), wantMissing) {
			recordMismatch(e, got, want)
		}
		return
	}
	if !sameVal(got, want) {
		recordMismatch(e, got, want)
	}
}

func (ev *evaluator) evalBool(e *rulepack.Expr, a *activation) (tri, []string, error) {
	out, missing, err := ev.eval(e, a)
	if err != nil {
		return triError, nil, err
	}
	switch v := out.(type) {
	case types.Bool:
		if v {
			return triTrue, nil, nil
		}
		return triFalse, nil, nil
	case *types.Unknown:
		return triUnknown, missing, nil
	case *types.Err:
		return triError, nil, v
	}
	return triError, nil, fmt.Errorf("expression gave %v, not a boolean", out)
}

func (ev *evaluator) cond(c *rulepack.Condition, a *activation) condResult {
	if ev.memoGen[c.Index] == ev.gen {
		return ev.memo[c.Index]
	}
	val, missing, err := ev.evalBool(c.Expr, a)
	r := condResult{cond: c, val: val, missing: missing, err: err}
	ev.memo[c.Index], ev.memoGen[c.Index] = r, ev.gen
	ev.cov.cond(c.Index, val)
	return r
}

func (ev *evaluator) evalRule(r *rulepack.Rule, a *activation) ruleOutcome {
	out := ruleOutcome{rule: r, val: triTrue, modality: r.Modality}
	start := len(ev.condArena)
	// Brief: a false condition settles the rule, unless the rule's period
	// may have ended (the determination then shows it).
	settle := ev.brief && (r.Period == nil || r.Period.Within == "")
	for _, c := range r.AllConditions {
		cr := ev.cond(c, a)
		ev.condArena = append(ev.condArena, cr)
		switch cr.val {
		case triFalse:
			out.val = triFalse
		case triUnknown:
			if out.val == triTrue {
				out.val = triUnknown
			}
			out.missing = append(out.missing, cr.missing...)
		case triError:
			if out.val == triTrue {
				out.val = triUnknown
			}
			out.errs = append(out.errs, fmt.Sprintf("%s.%s: %v", r.ID, c.ID, cr.err))
		}
		if settle && out.val == triFalse {
			break
		}
	}
	out.conds = ev.condArena[start:len(ev.condArena):len(ev.condArena)]
	if out.val == triFalse {
		out.missing = nil
	}
	out.missing = sortUnique(out.missing)
	ev.cov.rule(r.ID, out.val)
	if out.val == triTrue && r.Modality.Rank() > rulepack.May.Rank() && ev.e.readsBenefits[r] {
		out.modality = ev.effectiveModality(r, a)
	}
	return out
}

// effectiveModality re-evaluates a rule that holds and reads other benefits'
// determinations, counting only shall entitlements as granted. If it no
// longer holds, it rests on a discretionary benefit and is itself only may.
func (ev *evaluator) effectiveModality(r *rulepack.Rule, a *activation) rulepack.Modality {
	a.strict = true
	defer func() { a.strict = false }()
	for _, c := range r.AllConditions {
		if !ev.e.condReadsBenefits[c.Index] {
			continue
		}
		if v, _, err := ev.evalBool(c.Expr, a); err != nil || v != triTrue {
			return rulepack.May
		}
	}
	return r.Modality
}

// evaluateDefinitions computes the jurisdiction's definitions for the
// household and each member, in dependency order.
func (ev *evaluator) evaluateDefinitions() {
	p := ev.e.pack
	var need []bool
	if ev.sel != nil {
		need = ev.sel.defs[ev.jur]
	}
	for k, d := range p.DefOrder {
		i := ev.e.defOrderIndex[k]
		if need != nil && !need[i] {
			continue
		}
		dv := ev.defs[i]
		ok := dv != nil
		ev.defExample[i] = ok && dv.Provenance == rulepack.Example
		set := func(dst []facts.Value, a *activation) {
			if !ok {
				dst[i] = facts.Value{Missing: []string{"definition:" + d.Name}}
				return
			}
			val, missing, err := ev.evalBool(dv.Expr, a)
			switch {
			case err != nil:
				dst[i] = facts.Value{Missing: []string{"definition:" + d.Name}}
			case val == triUnknown:
				dst[i] = facts.Value{Missing: missing}
			default:
				dst[i] = facts.Value{V: types.Bool(val == triTrue)}
			}
		}
		if d.Scope == facts.Household {
			set(ev.defH, ev.act(-1))
		} else {
			for m := range ev.h.Members {
				set(ev.defM[m], ev.act(m))
			}
		}
	}
}

// evaluate runs every benefit and returns the determinations in output order.
func (ev *evaluator) evaluate() ([]Determination, error) {
	p := ev.e.pack
	ev.evaluateDefinitions()
	for _, b := range p.Order {
		if err := ev.ctx.Err(); err != nil {
			return nil, err
		}
		if ev.sel != nil && !ev.sel.eval[b.Order] {
			continue
		}
		ev.benefit(b)
	}
	// Output order: benefits as listed in benefits.yaml; within one, the
	// household first, then members in record order, as benefit made them.
	output := func(b *rulepack.Benefit) bool { return ev.sel == nil || ev.sel.output[b.Order] }
	n := 0
	for _, b := range p.Benefits {
		if r := ev.detRange[b.Order]; output(b) {
			n += r[1] - r[0]
		}
	}
	out := slices.Grow(ev.out.dets[:0], n)
	if out == nil {
		out = []Determination{} // none is [] in the JSON, not null
	}
	for _, b := range p.Benefits {
		if r := ev.detRange[b.Order]; output(b) {
			out = append(out, ev.dets[r[0]:r[1]]...)
		}
	}
	ev.out.dets = out
	return out, nil
}

// benefit determines one benefit for every subject it concerns, adding the
// determinations to ev.dets.
func (ev *evaluator) benefit(b *rulepack.Benefit) {
	bi := b.Order
	start := len(ev.dets)
	defer func() { ev.detRange[bi] = [2]int{start, len(ev.dets)} }()
	rs := ev.ruleSet(b)
	if rs == nil {
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
	d.Caveats = append([]Caveat{{Code: "concern_open", Text: fixedCaveats.concernOpen}}, d.Caveats...)
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
			d.Rules = append(d.Rules, o.rule.ID)
			d.Citations = append(d.Citations, ev.citations(o.rule)...)
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
			d.Rules = append(d.Rules, o.rule.ID)
			d.Citations = append(d.Citations, ev.citations(o.rule)...)
		}
		if best.modality != best.rule.Modality {
			d.Caveats = append(d.Caveats, Caveat{Code: "rests_on_discretion", Rule: best.rule.ID, Text: fixedCaveats.restsOnDiscretion})
		}
		ev.amountAndPeriod(&d, trueGrant, a)
		ev.eligibleCaveats(&d, trueGrant, caveats, a)
		// A stronger rule still open could upgrade a may or planned outcome.
		for _, o := range openGrant {
			if o.modality.Rank() > d.Modality.Rank() {
				d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
				d.Caveats = append(d.Caveats, Caveat{Code: "stronger_rule_open", Rule: o.rule.ID, Conditional: true,
					Text: ev.e.ruleTexts[o.rule.Order].strongerOpen})
			}
		}
		used = trueGrant
	case len(trueGrant) > 0:
		d.Status = Undetermined
		for _, o := range openDeny {
			d.Rules = append(d.Rules, o.rule.ID)
			d.Citations = append(d.Citations, ev.citations(o.rule)...)
			d.Missing = mergeMissing(d.Missing, ev.missing(o.missing))
		}
		d.Caveats = append(d.Caveats, Caveat{Code: "exception_open", Text: fixedCaveats.exceptionOpen})
		used = append(append(ev.scratchUsed[:0], trueGrant...), openDeny...)
		ev.scratchUsed = used[:0]
	case len(openGrant) > 0:
		d.Status = Undetermined
		for _, o := range openGrant {
			d.Rules = append(d.Rules, o.rule.ID)
			d.Citations = append(d.Citations, ev.citations(o.rule)...)
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
			d.Rules = append(d.Rules, o.rule.ID)
			d.Citations = append(d.Citations, ev.citations(o.rule)...)
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
		d.Caveats = append(d.Caveats, Caveat{Code: "example_values"})
	} else if len(d.ExampleValues) > 0 && d.Status != Undetermined {
		d.Caveats = append(d.Caveats, Caveat{Code: "example_values", Text: ev.exampleCaveat(d.ExampleValues)})
	}
	if ev.explain {
		d.Trace = ev.trace(rules, inactive, overriddenBy, a)
	}
	return d
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
			d.Caveats = append(d.Caveats, Caveat{Code: "amount_unknown", Rule: r.ID, Text: fixedCaveats.amountUnknown})
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
		d.Caveats = append(d.Caveats, Caveat{Code: "may", Text: fixedCaveats.may})
	case rulepack.Planned:
		d.Caveats = append(d.Caveats, Caveat{Code: "planned", Text: fixedCaveats.planned})
	}
	for _, o := range granted {
		r := o.rule
		if r.PastPlanPeriod(ev.asOf) && r.PlanPeriod.From != nil && ev.lean {
			d.Caveats = append(d.Caveats, Caveat{Code: "plan_period_ended", Rule: r.ID})
		} else if r.PastPlanPeriod(ev.asOf) && r.PlanPeriod.From != nil {
			d.Caveats = append(d.Caveats, Caveat{Code: "plan_period_ended", Rule: r.ID, Text: ev.e.ruleTexts[r.Order].planEnded})
		}
		if r.Remarks != nil {
			d.Caveats = append(d.Caveats, Caveat{Code: "remark", Rule: r.ID, Text: *r.Remarks})
		}
	}
	for _, o := range caveats {
		if o.val == triFalse || o.rule.Remarks == nil {
			continue
		}
		c := Caveat{Code: o.rule.ID, Rule: o.rule.ID, Text: *o.rule.Remarks, Citations: slices.Clone(ev.citations(o.rule)),
			Conditional: o.val != triTrue}
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
	t := rulepack.Text{
		Zh: "本结果用到示例参数或示例定义（" + strings.Join(names, "、") + "），不是当地公布的标准，须替换后再据以办理。",
		En: "This outcome uses example parameter values or definitions (" + strings.Join(names, ", ") + "), not the published local standard or definition."}
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

// reason explains a condition: its label and, for a comparison, both sides.
func (ev *evaluator) reason(c condResult, effect string, a *activation) Reason {
	r := Reason{Rule: c.cond.Rule, Condition: c.cond.ID, Label: c.cond.Label, Effect: effect}
	if ev.lean {
		return r
	}
	r.Actual, r.Op, r.Expected, r.Unit = ev.explainCond(c, a)
	if show := &ev.e.condShows[c.cond.Index]; show.listFacts {
		// Gathered in scratch space; keepLists copies them to the result.
		start := len(ev.scratchFacts)
		for _, f := range show.vars {
			v := a.value(f.slot)
			if !v.Known() {
				continue
			}
			ev.scratchFacts = append(ev.scratchFacts, FactValue{Name: f.name, Label: f.label, Value: display(v.V, f.unit), Unit: f.unit})
		}
		if len(ev.scratchFacts) > start {
			r.Facts = ev.scratchFacts[start:len(ev.scratchFacts):len(ev.scratchFacts)]
		}
		r.Actual = ""
	}
	return r
}

// condShow is what a condition's reason shows besides its label, worked
// out when the pack is loaded: the variables it reads, and whether the
// reason lists their values (a condition that is neither a comparison nor
// a lone variable).
type condShow struct {
	vars      []shownVar
	listFacts bool
}

// shownVar is a variable as a reason shows it.
type shownVar struct {
	name  string
	slot  *slot
	label rulepack.Text
	unit  string
}

// makeCondShows works out every condition's condShow.
func (e *Engine) makeCondShows() {
	p := e.pack
	e.condShows = make([]condShow, len(p.Conditions))
	for _, c := range p.Conditions {
		x := c.Expr
		show := condShow{listFacts: x.Cmp == nil && !(len(x.Vars) == 1 && strings.TrimSpace(x.Src) == x.Vars[0])}
		for _, name := range x.Vars {
			show.vars = append(show.vars, shownVar{name: name, slot: e.slots.byName[name], label: varLabel(p, name), unit: unitOf(e, name)})
		}
		e.condShows[c.Index] = show
	}
}

// explainCond re-evaluates a condition recording subexpression values, and
// reads both sides of a comparison.
func (ev *evaluator) explainCond(c condResult, a *activation) (actual, op, expected, unit string) {
	e := c.cond.Expr
	if e.Cmp == nil {
		if vars := ev.e.condShows[c.cond.Index].vars; len(vars) == 1 {
			if v := a.value(vars[0].slot); v.Known() {
				return display(v.V, vars[0].unit), "", "", vars[0].unit
			}
		}
		return c.val.String(), "", "", ""
	}
	unit = cmpUnit(e.Cmp)
	if info := ev.e.slots.info(e); info.lhs != nil && info.rhs != nil {
		// Both sides by their closures, unless one is an error, whose
		// message the CEL program's state gives as CEL words it.
		lv, rv := info.lhs(a), info.rhs(a)
		if !types.IsError(lv) && !types.IsError(rv) {
			if verifyCompiled {
				ev.verifyExplained(c, a, display(lv, unit), display(rv, unit))
			}
			return display(lv, unit), e.Cmp.Op, display(rv, unit), unit
		}
	}
	return ev.explainCEL(c, a)
}

// explainCEL reads both sides of a comparison from the CEL program's
// recorded state.
func (ev *evaluator) explainCEL(c condResult, a *activation) (actual, op, expected, unit string) {
	e := c.cond.Expr
	var patterns []*cel.AttributePatternType
	for _, s := range ev.e.slots.info(e).slots {
		if !a.value(s).Known() {
			patterns = append(patterns, s.pattern)
		}
	}
	pv, err := cel.PartialVars(a, patterns...)
	if err != nil {
		return c.val.String(), "", "", ""
	}
	_, det, err := e.Tracked.Eval(pv)
	if err != nil || det == nil {
		return c.val.String(), "", "", ""
	}
	st := det.State()
	lv, lok := st.Value(e.Cmp.LHS.ID)
	rv, rok := st.Value(e.Cmp.RHS.ID)
	unit = cmpUnit(e.Cmp)
	if lok {
		actual = display(lv, unit)
	}
	if rok {
		expected = display(rv, unit)
	}
	return actual, e.Cmp.Op, expected, unit
}

// cmpUnit is the unit both sides of a comparison are shown in.
func cmpUnit(c *rulepack.Comparison) string {
	if c.LHS.Unit != "" {
		return c.LHS.Unit
	}
	return c.RHS.Unit
}

// verifyExplained records compiled sides of a comparison that differ from
// the CEL program's (tests only).
func (ev *evaluator) verifyExplained(c condResult, a *activation, actual, expected string) {
	wa, _, we, _ := ev.explainCEL(c, a)
	if wa != actual || we != expected {
		recordMismatch(c.cond.Expr, types.String(actual+" | "+expected), types.String(wa+" | "+we))
	}
}

// varLabel names a CEL variable for people.
func varLabel(p *rulepack.Pack, name string) rulepack.Text {
	if f, ok := facts.Lookup(name); ok {
		return rulepack.Text{Zh: f.Zh, En: f.En}
	}
	switch {
	case strings.HasPrefix(name, "params."):
		if d, ok := p.Param(strings.TrimPrefix(name, "params.")); ok {
			return d.Text
		}
	case strings.HasPrefix(name, "def."):
		if d, ok := p.Def(strings.TrimPrefix(name, "def.")); ok {
			return d.Text
		}
	case strings.HasPrefix(name, "benefit."):
		if b, ok := p.Benefit(strings.TrimPrefix(name, "benefit.")); ok {
			return rulepack.Text{Zh: "符合" + b.Name.Zh, En: "qualifies for " + b.Name.En}
		}
	}
	return rulepack.Text{Zh: name, En: name}
}

func unitOf(e *Engine, name string) string {
	if f, ok := facts.Lookup(name); ok {
		if f.Kind == facts.Money {
			return "money"
		}
		return f.Unit
	}
	if p, ok := e.pack.Param(strings.TrimPrefix(name, "params.")); ok {
		if p.Type == rulepack.ParamMoney {
			return "money"
		}
		return p.Unit
	}
	return ""
}

// display renders a CEL value for reasons: money as yuan, dates as YYYY-MM-DD.
func display(v ref.Val, unit string) string {
	switch x := v.(type) {
	case types.Int:
		if unit == "money" {
			return money.Fen(x).Yuan()
		}
		return strconv.FormatInt(int64(x), 10)
	case types.Double:
		if unit == "money" {
			f, _ := money.RoundFloat(float64(x), money.RoundHalfUp)
			return f.Yuan()
		}
		return strconv.FormatFloat(float64(x), 'g', -1, 64)
	case types.Timestamp:
		return x.Format("2006-01-02")
	case types.Bool:
		return strconv.FormatBool(bool(x))
	case types.String:
		return string(x)
	case *types.Unknown:
		return "unknown"
	}
	if l, ok := v.Value().([]ref.Val); ok {
		parts := make([]string, len(l))
		for i, e := range l {
			parts[i] = display(e, unit)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if n, ok := v.(interface{ Size() ref.Val }); ok {
		_ = n
	}
	return fmt.Sprint(v.Value())
}

func (ev *evaluator) trace(rules, inactive []*rulepack.Rule, overriddenBy map[string]string, a *activation) []RuleTrace {
	var out []RuleTrace
	for _, r := range rules {
		o := ev.evalRule(r, a)
		rt := RuleTrace{Rule: r.ID, Effect: string(r.Effect), Modality: string(r.Modality), InForce: true, Outcome: o.val.String()}
		for _, c := range o.conds {
			ct := ConditionTrace{ID: c.cond.ID, Label: c.cond.Label, Expr: c.cond.Expr.Src, Value: c.val.String(), Missing: slices.Clone(c.missing)}
			if c.val == triTrue || c.val == triFalse {
				ct.Actual, ct.Op, ct.Expected, _ = ev.explainCond(c, a)
			}
			rt.Conditions = append(rt.Conditions, ct)
		}
		out = append(out, rt)
	}
	for _, r := range inactive {
		if r.Scope != rules[0].Scope {
			continue
		}
		rt := RuleTrace{Rule: r.ID, Effect: string(r.Effect), Modality: string(r.Modality), Outcome: "not_applicable",
			InForce: r.InForce(ev.asOf, ev.e.pack.Meta.AfterPlanPeriod), Overridden: overriddenBy[r.ID]}
		out = append(out, rt)
	}
	return out
}

// uniqueSorted returns list's distinct elements sorted (nil when there are
// none), leaving list as it is: list itself when it is already so, else a
// sorted copy. The caller copies the answer before changing it.
func uniqueSorted(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	for i := 1; i < len(list); i++ {
		if list[i-1] >= list[i] {
			return sortUnique(slices.Clone(list))
		}
	}
	return list
}

// sortUnique sorts list in place and drops repeats; nil when empty. For
// lists the caller owns.
func sortUnique(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	slices.Sort(list)
	return slices.Compact(list)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func mergeMissing(a, b []Missing) []Missing {
	out := make([]Missing, 0, len(a)+len(b))
	for _, list := range [2][]Missing{a, b} {
		for _, m := range list {
			if !slices.ContainsFunc(out, func(o Missing) bool { return o.Field == m.Field }) {
				out = append(out, m)
			}
		}
	}
	return out
}
