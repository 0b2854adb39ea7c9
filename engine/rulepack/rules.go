package rulepack

import (
	"fmt"
	"strings"
	"time"

	"cel.dev/cel-go/cel"

	"entitle/engine/facts"
	"entitle/engine/money"
)

// loadRules reads every *.rules.yaml file and compiles its rules (rule),
// numbering them in the order read.
func (l *loader) loadRules() {
	l.ruleFile = map[string]*yamlFile{}
	l.rulePath = map[string]string{}
	defScopes := l.defScopes()
	for _, path := range l.files.rules {
		f, s := readSpec[rulesSpec](l, path, "rules")
		if s == nil {
			continue
		}
		for i, rs := range s.Rules {
			at := fmt.Sprintf("rules[%d]", i)
			if r := l.rule(f, at, rs, defScopes); r != nil {
				r.Order = len(l.p.Rules)
				l.p.Rules = append(l.p.Rules, r)
				l.p.ruleByID[r.ID] = r
				l.ruleFile[r.ID], l.rulePath[r.ID] = f, at
			}
		}
	}
}

func (l *loader) rule(f *yamlFile, at string, rs ruleSpec, defScopes map[string]facts.Scope) *Rule {
	errs := len(l.diags.Errors())
	fail := func(path string, code Code, format string, args ...any) {
		l.diags = append(l.diags, f.diag(at+path, code, Error, format, args...))
	}
	if _, dup := l.p.ruleByID[rs.ID]; dup {
		fail(".id", CodeDuplicate, "rule id %q is used twice (first in %s)", rs.ID, l.ruleFile[rs.ID].path)
		return nil
	}
	ben, ok := l.p.benefitByCode[rs.Benefit]
	if !ok {
		fail(".benefit", CodeBenefit, "unknown benefit code %q (see benefits.yaml)", rs.Benefit)
		return nil
	}
	if !l.knownJurisdiction(rs.Jurisdiction) {
		fail(".jurisdiction", CodeJurisdiction, "unknown jurisdiction %q (see jurisdictions.yaml)", rs.Jurisdiction)
		return nil
	}
	if want := rs.Jurisdiction + "." + rs.Benefit + "."; !strings.HasPrefix(rs.ID, want) {
		fail(".id", CodeSchema, "rule id %q must start with %q", rs.ID, want)
	}
	r := &Rule{ID: rs.ID, Benefit: rs.Benefit, Jurisdiction: rs.Jurisdiction, Modality: Modality(rs.Modality),
		Effect: Effect(rs.Effect), Scope: ben.Scope, Extends: rs.Extends, Overrides: rs.Overrides,
		Remarks: rs.Remarks, Notes: strings.TrimSpace(rs.Notes), File: f.path, Line: f.at.Locate(at).Line}
	if r.Effect == "" {
		r.Effect = Grant
	}
	switch rs.Scope {
	case "household":
		r.Scope = facts.Household
	case "member":
		r.Scope = facts.Member
	}
	if rs.Effective != nil {
		var err error
		if r.Effective.From, err = parseDate(rs.Effective.From); err != nil {
			fail(".effective.from", CodeDates, "%v", err)
		}
		if r.Effective.To, err = parseDate(rs.Effective.To); err != nil {
			fail(".effective.to", CodeDates, "%v", err)
		}
		if r.Effective.From != nil && r.Effective.To != nil && r.Effective.To.Before(*r.Effective.From) {
			fail(".effective", CodeDates, "the rule ends (%s) before it starts (%s)", rs.Effective.To, rs.Effective.From)
		}
	}
	dated, earliest := false, 0 // whether a cited document is dated; the latest EarliestYear
	for i, c := range rs.Citations {
		cat := fmt.Sprintf("%s.citations[%d]", at, i)
		cit, ok := l.citation(f, cat, c, rs.Jurisdiction)
		if !ok {
			continue
		}
		r.Citations = append(r.Citations, cit)
		doc := l.p.docByID[c.Doc]
		if doc.PlanPeriod != nil && r.PlanPeriod == nil {
			r.PlanPeriod = doc.PlanPeriod
		}
		dated = dated || doc.Date != nil || doc.InForce != nil || doc.PlanPeriod != nil
		earliest = max(earliest, doc.EarliestYear)
		if doc.Date != nil && r.Effective.From != nil && r.Effective.From.Before(*doc.Date) {
			l.diags = append(l.diags, f.diag(at+".effective.from", WarnBeforeDocDate, Warning,
				"rule %s takes effect on %s, before its document %s is dated (%s)", r.ID, r.Effective.From.Format("2006-01-02"), doc.ID, doc.Date.Format("2006-01-02")))
		}
	}
	if !dated && earliest != 0 {
		// All the rule rests on is undated: it cannot apply before the
		// year its documents can first have been issued.
		jan1 := time.Date(earliest, time.January, 1, 0, 0, 0, 0, time.UTC)
		r.NotBefore = &jan1
	}
	if r.Scope == facts.Member {
		switch {
		case rs.Concerns != "":
			r.Concerns = l.comp.compile(rs.Concerns, f.loc(at+".concerns"), facts.Member, wantBool, "concerns of "+r.ID, defScopes)
		case ben.Concerns != nil:
			r.Concerns = ben.Concerns
		default:
			r.Concerns = l.defaultConcerns()
		}
	}
	seen := map[string]bool{}
	for i, c := range rs.Conditions {
		cat := fmt.Sprintf("%s.conditions[%d]", at, i)
		if seen[c.ID] {
			l.diags = append(l.diags, f.diag(cat+".id", CodeDuplicate, Error, "condition id %q is used twice in rule %s", c.ID, r.ID))
			continue
		}
		seen[c.ID] = true
		e := l.comp.compile(c.Expr, f.loc(cat+".expr"), r.Scope, wantBool, "condition "+c.ID, defScopes)
		if e == nil {
			continue
		}
		cond := &Condition{ID: c.ID, Label: Text{c.Zh, c.En}, Expr: e, Index: len(l.p.Conditions), Rule: r.ID}
		l.p.Conditions = append(l.p.Conditions, cond)
		r.Conditions = append(r.Conditions, cond)
	}
	if rs.Amount != nil {
		e := l.comp.compile(rs.Amount.Expr, f.loc(at+".amount.expr"), r.Scope, wantAmount, "amount of "+r.ID, defScopes)
		mode := money.Rounding(rs.Amount.Rounding)
		if e != nil && e.Out.IsExactType(cel.DoubleType) && mode == money.RoundNone {
			fail(".amount.rounding", CodeType, "the amount is a fractional number of fen (double); say how to round it")
		}
		per := rs.Amount.Per
		if per == "" {
			per = "month"
		}
		if e != nil {
			r.Amount = &Amount{Expr: e, Rounding: mode, Per: per}
		}
	}
	if rs.Period != nil {
		start := l.comp.compile(rs.Period.Start, f.loc(at+".period.start"), r.Scope, wantTimestamp, "period start of "+r.ID, defScopes)
		months := l.comp.compile(rs.Period.Months, f.loc(at+".period.months"), r.Scope, wantInt, "period length of "+r.ID, defScopes)
		if start != nil && months != nil {
			r.Period = &Period{Start: start, Months: months, Within: rs.Period.Within}
		}
	}
	if len(rs.Conditions) == 0 && rs.Extends == "" && r.Effect == Grant {
		l.diags = append(l.diags, f.diag(at, WarnNoConditions, Warning, "grant rule %s has no conditions: it grants to everyone it concerns", r.ID))
	}
	if len(l.diags.Errors()) > errs {
		return nil
	}
	return r
}
