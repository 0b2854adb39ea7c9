package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"entitle/engine/facts"
	"entitle/engine/household"
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
	if j, ok := p.ResolveJurisdiction(h.Jurisdiction); ok {
		ev.jur = j.Code // the record may name the area instead (临清市)
	}
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
	ev.crossRefCaveats()
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
