package rulepack

import (
	"slices"
	"strings"
	"time"

	"entitle/engine/facts"
)

// checkValueSpans warns (R104) when a rule is in force on a date for which
// a parameter or definition it reads has no value in the jurisdiction and
// no national one. An evaluation on such a date cannot finish the rule: it
// asks the caseworker for "the pack's value of …", which only the pack's
// maintainers can give.
//
// Whether a value exists changes only where some value's window starts or
// ends, so checking the rule's first day and each such date within its
// span is exact.
func (l *loader) checkValueSpans() {
	var edges []time.Time
	addEdges := func(w Window) {
		if w.From != nil {
			edges = append(edges, *w.From)
		}
		if w.To != nil {
			edges = append(edges, w.To.AddDate(0, 0, 1))
		}
	}
	for _, byName := range l.p.values {
		for _, vals := range byName {
			for _, v := range vals {
				addEdges(v.Window)
			}
		}
	}
	for _, byName := range l.p.defValues {
		for _, vals := range byName {
			for _, v := range vals {
				addEdges(v.Window)
			}
		}
	}
	slices.SortFunc(edges, time.Time.Compare)
	edges = slices.Compact(edges)

	for _, r := range l.p.Rules {
		start := r.Starts()
		if start == nil {
			continue // in force whenever the pack's values are; nothing to compare
		}
		end := r.Ends(l.p.Meta.AfterPlanPeriod)
		days := []time.Time{*start}
		for _, d := range edges {
			if d.After(*start) && (end == nil || !d.After(*end)) {
				days = append(days, d)
			}
		}
		vars := ruleVars(r)
		for _, j := range l.p.Jurisdictions {
			if r.Jurisdiction != "national" && r.Jurisdiction != j.Code {
				continue
			}
			l.checkRuleSpan(r, j.Code, vars, days, end)
		}
	}
}

// checkRuleSpan reports, for one rule in one jurisdiction, each value it
// reads that is missing on some of the days, once, with the first gap.
func (l *loader) checkRuleSpan(r *Rule, jur string, vars []string, days []time.Time, end *time.Time) {
	missingOn := make([][]string, len(days))
	for i, day := range days {
		missingOn[i] = l.missingValues(jur, vars, day)
	}
	reported := map[string]bool{}
	for i, day := range days {
		for _, missing := range missingOn[i] {
			if reported[missing] {
				continue
			}
			reported[missing] = true
			// The gap runs to the day before the next day the value exists.
			until := ""
			for j := i + 1; j < len(days); j++ {
				if !slices.Contains(missingOn[j], missing) {
					until = " to " + days[j].AddDate(0, 0, -1).Format(time.DateOnly)
					break
				}
			}
			if until == "" && end != nil {
				until = " to " + end.Format(time.DateOnly)
			}
			if until == "" {
				until = " on"
			}
			f, at := l.ruleFile[r.ID], l.rulePath[r.ID]
			l.diags = append(l.diags, f.diag(at, WarnValueGap, Warning,
				"rule %s is in force in %s from %s, but %s has no value there or nationally from %s%s: evaluations then ask for the pack's value",
				r.ID, jur, r.Starts().Format(time.DateOnly), missing, day.Format(time.DateOnly), until))
		}
	}
}

// ruleVars lists the variables a rule's expressions read, the conditions
// it inherits from a rule it extends included.
func ruleVars(r *Rule) []string {
	var out []string
	add := func(e *Expr) { out = append(out, e.Vars...) }
	r.Exprs(add)
	for _, c := range r.AllConditions {
		add(c.Expr)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// missingValues lists, as "parameter NAME" or "definition NAME", the values
// that the variables read, directly, through derived facts or through
// definitions, and that have no value in the jurisdiction or nationally on
// the day.
func (l *loader) missingValues(jur string, vars []string, day time.Time) []string {
	var out []string
	seen := map[string]bool{}
	var visit func(v string)
	visit = func(v string) {
		if seen[v] {
			return
		}
		seen[v] = true
		if name, ok := strings.CutPrefix(v, "params."); ok {
			if _, ok := l.p.ParamValue(jur, name, day); !ok {
				out = append(out, "parameter "+name)
			}
			return
		}
		if name, ok := strings.CutPrefix(v, "def."); ok {
			dv, ok := l.p.DefValue(jur, name, day)
			if !ok {
				out = append(out, "definition "+name)
				return
			}
			if dv.Expr != nil {
				for _, w := range dv.Expr.Vars {
					visit(w)
				}
			}
			return
		}
		for _, name := range facts.ParamsOf(v, "") {
			visit("params." + name)
		}
	}
	for _, v := range vars {
		visit(v)
	}
	slices.Sort(out)
	return out
}
