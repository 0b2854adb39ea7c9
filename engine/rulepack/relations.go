package rulepack

import (
	"fmt"
	"sort"
	"strings"
)

// resolveRelations links extends and overrides and indexes rules by
// jurisdiction and benefit.
func (l *loader) resolveRelations() {
	// extends: inherit conditions and citations, parents first.
	var resolve func(r *Rule, seen map[string]bool) bool
	resolve = func(r *Rule, seen map[string]bool) bool {
		if r.AllConditions != nil || r.Extends == "" {
			if r.AllConditions == nil {
				r.AllConditions = r.Conditions
				r.AllCitations = r.Citations
			}
			return true
		}
		f, at := l.ruleFile[r.ID], l.rulePath[r.ID]
		if seen[r.ID] {
			l.diags = append(l.diags, f.diag(at+".extends", CodeCycle, Error, "rule %s extends itself through %s", r.ID, r.Extends))
			return false
		}
		seen[r.ID] = true
		parent, ok := l.p.ruleByID[r.Extends]
		switch {
		case !ok:
			l.diags = append(l.diags, f.diag(at+".extends", CodeRelation, Error, "rule %s extends %q, which does not exist", r.ID, r.Extends))
			return false
		case parent.Benefit != r.Benefit:
			l.diags = append(l.diags, f.diag(at+".extends", CodeRelation, Error, "rule %s (%s) extends %s, a rule for another benefit (%s)", r.ID, r.Benefit, parent.ID, parent.Benefit))
			return false
		case parent.Scope != r.Scope:
			l.diags = append(l.diags, f.diag(at+".extends", CodeRelation, Error, "rule %s extends %s, which has another scope", r.ID, parent.ID))
			return false
		case parent.Effect != r.Effect:
			l.diags = append(l.diags, f.diag(at+".extends", CodeRelation, Error, "rule %s (%s) extends %s, a %s rule", r.ID, r.Effect, parent.ID, parent.Effect))
			return false
		case parent.Jurisdiction != "national" && parent.Jurisdiction != r.Jurisdiction:
			l.diags = append(l.diags, f.diag(at+".extends", CodeRelation, Error, "rule %s extends %s of another jurisdiction", r.ID, parent.ID))
			return false
		}
		if !resolve(parent, seen) {
			return false
		}
		r.AllConditions = append(append([]*Condition{}, parent.AllConditions...), r.Conditions...)
		r.AllCitations = append(append([]Citation{}, r.Citations...), parent.AllCitations...)
		if r.Amount == nil {
			r.Amount = parent.Amount
		}
		if r.Period == nil {
			r.Period = parent.Period
		}
		return true
	}
	for _, r := range l.p.Rules {
		resolve(r, map[string]bool{})
	}
	for _, r := range l.p.Rules {
		if r.Period == nil || r.Period.Within == "" {
			continue
		}
		found := false
		for _, c := range r.AllConditions {
			found = found || c.ID == r.Period.Within
		}
		if !found {
			f, at := l.ruleFile[r.ID], l.rulePath[r.ID]
			l.diags = append(l.diags, f.diag(at+".period.within", CodeRelation, Error, "rule %s: period.within names %q, which is not one of its conditions", r.ID, r.Period.Within))
		}
	}
	for _, r := range l.p.Rules {
		f, at := l.ruleFile[r.ID], l.rulePath[r.ID]
		for i, o := range r.Overrides {
			t, ok := l.p.ruleByID[o]
			switch {
			case !ok:
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.overrides[%d]", at, i), CodeRelation, Error, "rule %s overrides %q, which does not exist", r.ID, o))
			case t.Benefit != r.Benefit:
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.overrides[%d]", at, i), CodeRelation, Error, "rule %s overrides %s, a rule for another benefit", r.ID, o))
			case t.Jurisdiction != "national" || r.Jurisdiction == "national":
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.overrides[%d]", at, i), CodeRelation, Error, "a local rule may override only national rules; %s cannot override %s", r.ID, o))
			}
		}
	}
	for _, r := range l.p.Rules {
		jurs := []string{r.Jurisdiction}
		if r.Jurisdiction == "national" {
			jurs = jurs[:0]
			for _, j := range l.p.Jurisdictions {
				jurs = append(jurs, j.Code)
			}
		}
		for _, j := range jurs {
			if l.p.byJurBenefit[j] == nil {
				l.p.byJurBenefit[j] = map[string][]*Rule{}
			}
			l.p.byJurBenefit[j][r.Benefit] = append(l.p.byJurBenefit[j][r.Benefit], r)
		}
	}
}

// orderDefinitions sorts definitions so each follows those it reads.
func (l *loader) orderDefinitions() {
	deps := map[string][]string{}
	for _, byName := range l.p.defValues {
		for name, vals := range byName {
			for _, v := range vals {
				for _, ref := range v.Expr.Vars {
					if d, ok := strings.CutPrefix(ref, "def."); ok {
						deps[name] = append(deps[name], d)
					}
				}
			}
		}
	}
	var names []string
	for _, d := range l.p.Defs {
		names = append(names, d.Name)
	}
	order, cycle := topo(names, deps)
	if cycle != "" {
		l.errorf("parameters.yaml", 0, CodeCycle, "definitions depend on each other in a cycle: %s", cycle)
		return
	}
	for _, n := range order {
		l.p.DefOrder = append(l.p.DefOrder, l.p.defByName[n])
	}
}

// orderBenefits sorts benefits so each follows those its rules read.
func (l *loader) orderBenefits() {
	deps := map[string][]string{}
	for _, r := range l.p.Rules {
		var exprs []*Expr
		for _, c := range r.Conditions {
			exprs = append(exprs, c.Expr)
		}
		if r.Amount != nil {
			exprs = append(exprs, r.Amount.Expr)
		}
		if r.Concerns != nil {
			exprs = append(exprs, r.Concerns)
		}
		for _, e := range exprs {
			for _, ref := range e.Vars {
				if b, ok := strings.CutPrefix(ref, "benefit."); ok {
					deps[r.Benefit] = appendUnique(deps[r.Benefit], b)
				}
			}
		}
	}
	var codes []string
	for _, b := range l.p.Benefits {
		codes = append(codes, b.Code)
		b.DependsOn = deps[b.Code]
		sort.Strings(b.DependsOn)
	}
	order, cycle := topo(codes, deps)
	if cycle != "" {
		l.errorf("benefits.yaml", 0, CodeCycle, "benefits depend on each other's determinations in a cycle: %s", cycle)
		return
	}
	for _, c := range order {
		l.p.Order = append(l.p.Order, l.p.benefitByCode[c])
	}
}

func appendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

// topo orders names so that each follows its dependencies, keeping the given
// order otherwise. It returns a description of a cycle if there is one.
func topo(names []string, deps map[string][]string) ([]string, string) {
	const (
		white = iota
		grey
		black
	)
	state := map[string]int{}
	var order []string
	var stack []string
	var cycle string
	var visit func(n string) bool
	visit = func(n string) bool {
		switch state[n] {
		case grey:
			i := 0
			for j, s := range stack {
				if s == n {
					i = j
				}
			}
			cycle = strings.Join(append(append([]string{}, stack[i:]...), n), " → ")
			return false
		case black:
			return true
		}
		state[n] = grey
		stack = append(stack, n)
		ds := append([]string{}, deps[n]...)
		sort.Strings(ds)
		for _, d := range ds {
			if !visit(d) {
				return false
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = black
		order = append(order, n)
		return true
	}
	for _, n := range names {
		if !visit(n) {
			return nil, cycle
		}
	}
	return order, ""
}

func (l *loader) checkExclusives() {
	for _, x := range l.p.Exclusives {
		for _, id := range x.Rules {
			if _, ok := l.p.ruleByID[id]; !ok {
				l.errorf("benefits.yaml", 0, CodeRelation, "exclusive group %v names rule %q, which does not exist", x.Benefits, id)
			}
		}
	}
}

func (l *loader) warnUnusedParams() {
	used := map[string]bool{
		// Read by the fact derivations in engine/facts.
		"dibao_standard_urban": true, "dibao_standard_rural": true, "dibao_edge_multiplier": true,
		"long_term_care_min_months": true, "phase_out_months": true,
	}
	mark := func(e *Expr) {
		if e == nil {
			return
		}
		for _, v := range e.Vars {
			if p, ok := strings.CutPrefix(v, "params."); ok {
				used[p] = true
			}
		}
	}
	for _, r := range l.p.Rules {
		r.Exprs(mark)
	}
	for _, byName := range l.p.defValues {
		for _, vals := range byName {
			for _, v := range vals {
				mark(v.Expr)
			}
		}
	}
	for _, p := range l.p.Params {
		if !used[p.Name] {
			l.diags = append(l.diags, Diagnostic{File: "parameters.yaml", Code: WarnUnusedParam, Severity: Warning, Msg: fmt.Sprintf("parameter %q is declared but no rule reads it", p.Name)})
		}
	}
}
