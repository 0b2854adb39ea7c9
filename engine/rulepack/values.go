package rulepack

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"entitle/engine/money"
)

// loadValues reads each jurisdiction's values.yaml: the dated values of the
// declared parameters and the meanings of the declared definitions, each
// checked against its declaration, with its source, and its windows sorted
// and checked for overlaps.
func (l *loader) loadValues() {
	l.defFile = map[*DefValue]*yamlFile{}
	l.defPath = map[*DefValue]string{}
	for _, path := range l.files.values {
		f, s := readSpec[valuesSpec](l, path, "values")
		if s == nil {
			continue
		}
		jur := s.Jurisdiction
		if !l.knownJurisdiction(jur) {
			l.diags = append(l.diags, f.diag("jurisdiction", CodeJurisdiction, Error, "unknown jurisdiction %q", jur))
			continue
		}
		if l.p.values[jur] == nil {
			l.p.values[jur] = map[string][]*ParamValue{}
			l.p.defValues[jur] = map[string][]*DefValue{}
		}
		names := sortedKeys(s.Parameters)
		for _, name := range names {
			decl, ok := l.p.paramByName[name]
			if !ok {
				l.diags = append(l.diags, f.diag("parameters."+name, CodeParameter, Error, "parameter %q is not declared in parameters.yaml", name))
				continue
			}
			if len(l.p.values[jur][name]) > 0 {
				l.diags = append(l.diags, f.diag("parameters."+name, CodeDuplicate, Error, "parameter %q already has values for %s", name, jur))
				continue
			}
			var vals []*ParamValue
			for i, v := range s.Parameters[name] {
				at := fmt.Sprintf("parameters.%s[%d]", name, i)
				pv, ok := l.paramValue(f, at, decl, v, jur)
				if ok {
					vals = append(vals, pv)
				}
			}
			l.p.values[jur][name] = l.sortWindows(f, "parameters."+name, vals)
		}
		for _, name := range sortedKeys(s.Definitions) {
			decl, ok := l.p.defByName[name]
			if !ok {
				l.diags = append(l.diags, f.diag("definitions."+name, CodeParameter, Error, "definition %q is not declared in parameters.yaml", name))
				continue
			}
			var vals []*DefValue
			for i, v := range s.Definitions[name] {
				at := fmt.Sprintf("definitions.%s[%d]", name, i)
				dv := &DefValue{Jurisdiction: jur, Source: v.Expr, Provenance: v.Provenance, Note: v.Note}
				var err error
				if dv.Window.From, err = parseDate(v.From); err != nil {
					l.diags = append(l.diags, f.diag(at+".from", CodeDates, Error, "%v", err))
				}
				if dv.Window.To, err = parseDate(v.To); err != nil {
					l.diags = append(l.diags, f.diag(at+".to", CodeDates, Error, "%v", err))
				}
				if v.Source != nil {
					c, ok := l.citation(f, at+".source", *v.Source, jur)
					if !ok {
						continue
					}
					dv.Cite = &c
				}
				dv.Expr = l.comp.compile(v.Expr, f.loc(at+".expr"), decl.Scope, wantBool, "definition "+name, l.defScopes())
				if dv.Expr == nil {
					continue
				}
				for _, ref := range dv.Expr.Vars {
					if strings.HasPrefix(ref, "benefit.") {
						l.diags = append(l.diags, f.diag(at+".expr", CodeScope, Error, "definition %s reads %s: definitions cannot depend on determinations", name, ref))
					}
				}
				l.defFile[dv], l.defPath[dv] = f, at
				vals = append(vals, dv)
			}
			sort.SliceStable(vals, func(i, j int) bool { return before(vals[i].Window.From, vals[j].Window.From) })
			for i := 1; i < len(vals); i++ {
				if overlaps(vals[i-1].Window, vals[i].Window) {
					l.diags = append(l.diags, f.diag("definitions."+name, CodeParameter, Error, "definition %q has values whose dates overlap", name))
				}
			}
			l.p.defValues[jur][name] = vals
		}
	}
	if len(l.p.values["national"]) == 0 && len(l.p.Params) > 0 {
		l.errorf("national/values.yaml", 0, CodeMissingFile, "the pack has no national values.yaml")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func before(a, b *time.Time) bool {
	switch {
	case a == nil:
		return b != nil
	case b == nil:
		return false
	}
	return a.Before(*b)
}

func overlaps(a, b Window) bool {
	// a starts no later than b (sorted); they overlap unless a ends before b starts.
	if a.To == nil || b.From == nil {
		return true
	}
	return !a.To.Before(*b.From)
}

// sortWindows orders a parameter's values by start date, ends an open-ended
// value the day before the next one starts, and reports values whose dates
// overlap.
func (l *loader) sortWindows(f *yamlFile, at string, vals []*ParamValue) []*ParamValue {
	sort.SliceStable(vals, func(i, j int) bool { return before(vals[i].Window.From, vals[j].Window.From) })
	for i := 1; i < len(vals); i++ {
		// An open-ended value followed by a later one ends the day before it.
		if vals[i-1].Window.To == nil && vals[i].Window.From != nil {
			end := vals[i].Window.From.AddDate(0, 0, -1)
			vals[i-1].Window.To = &end
		}
		if overlaps(vals[i-1].Window, vals[i].Window) {
			l.diags = append(l.diags, f.diag(at, CodeParameter, Error, "values whose dates overlap"))
		}
	}
	return vals
}

// paramValue reads one dated value of a parameter: its window, its value in
// the declared type, and its source.
func (l *loader) paramValue(f *yamlFile, at string, decl *ParamDecl, v valueSpec, jur string) (*ParamValue, bool) {
	pv := &ParamValue{Jurisdiction: jur, Provenance: v.Provenance, Note: v.Note}
	var err error
	if pv.Window.From, err = parseDate(v.From); err != nil {
		l.diags = append(l.diags, f.diag(at+".from", CodeDates, Error, "%v", err))
		return nil, false
	}
	if pv.Window.To, err = parseDate(v.To); err != nil {
		l.diags = append(l.diags, f.diag(at+".to", CodeDates, Error, "%v", err))
		return nil, false
	}
	bad := func(format string, args ...any) (*ParamValue, bool) {
		l.diags = append(l.diags, f.diag(at+".value", CodeParameter, Error, format, args...))
		return nil, false
	}
	text := fmt.Sprint(v.Value)
	switch decl.Type {
	case ParamMoney:
		fen, err := money.ParseYuan(text)
		if err != nil {
			return bad("parameter %s is money in yuan, e.g. \"780.00\": %v", decl.Name, err)
		}
		pv.Money, pv.Display = fen, fen.Yuan()
	case ParamInt:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return bad("parameter %s is an integer, got %q", decl.Name, text)
		}
		pv.Int, pv.Display = n, text
	case ParamRate:
		r, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
			return bad("parameter %s is a decimal rate such as 0.1, got %q", decl.Name, text)
		}
		pv.Rate, pv.Display = r, text
	case ParamBool:
		b, ok := v.Value.(bool)
		if !ok {
			return bad("parameter %s is true or false, got %q", decl.Name, text)
		}
		pv.Bool, pv.Display = b, text
	}
	if v.Source != nil {
		c, ok := l.citation(f, at+".source", *v.Source, jur)
		if !ok {
			return nil, false
		}
		pv.Source = &c
	}
	return pv, true
}
