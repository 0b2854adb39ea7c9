package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"entitle/engine/facts"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

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
		for _, f := range show.listed {
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
	vars []shownVar
	// listFacts says the reason lists the values of listed: the variables
	// of a condition that is neither a comparison nor a lone variable, or
	// the facts a lone derived variable is worked out from (shownWith).
	listFacts bool
	listed    []shownVar
}

// shownWith names, for a derived fact that a condition may read alone, the
// facts it is worked out from: the reason lists them, so that 需要长期照护
// —— 未满足 says why (实际：因残疾需要照护 是；照护持续月数 3 个月). A fact
// unknown is left out of the list.
var shownWith = map[string][]*facts.Fact{
	facts.MLongTermCare.Name:  {facts.MCareNeeded, facts.MCareMonths},
	facts.MNoOccupation.Name:  {facts.MEmploymentStatus},
	facts.MUnemployed.Name:    {facts.MEmploymentStatus},
	facts.MStudent.Name:       {facts.MEducationStage, facts.MEmploymentStatus},
	facts.MFreshGraduate.Name: {facts.MGraduatingYear},
	facts.HAboveStandard.Name: {facts.HPerCapitaIncome, facts.HDibaoStandard},
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
		shown := func(name string) shownVar {
			return shownVar{name: name, slot: e.slots.byName[name], label: varLabel(p, name), unit: unitOf(e, name)}
		}
		lone := len(x.Vars) == 1 && strings.TrimSpace(x.Src) == x.Vars[0]
		show := condShow{listFacts: x.Cmp == nil && !lone}
		for _, name := range x.Vars {
			show.vars = append(show.vars, shown(name))
		}
		switch {
		case show.listFacts:
			show.listed = show.vars
		case lone:
			for _, f := range shownWith[x.Vars[0]] {
				show.listed = append(show.listed, shown(f.Name))
			}
			show.listFacts = show.listed != nil
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
		if t, ok := p.ValueName(strings.TrimPrefix(name, "params.")); ok {
			return t
		}
	case strings.HasPrefix(name, "def."):
		if t, ok := p.ValueName(name); ok {
			return t
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
	return fmt.Sprint(v.Value())
}

// trace is the Explain option's record of a subject's rules: each rule in
// force with every condition's value, both sides of a comparison and the
// facts it still lacks, then the rules of the same scope that do not apply
// (out of force, or overridden by the rule named).
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
