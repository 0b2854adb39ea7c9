package main

import (
	"time"

	"cel.dev/cel-go/common/types"

	"entitle/engine/facts"
	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// The national base layer for benefit codes 1-7 (rules/national/*.rules.yaml)
// written by hand in plain Go, over the same derived facts the engine
// computes (engine/facts). Three-valued: a rule reading an unknown fact is
// open, as in the engine.

type tri int8

const (
	no tri = iota
	yes
	open
)

func and(ts ...tri) tri {
	out := yes
	for _, t := range ts {
		if t == no {
			return no
		}
		if t == open {
			out = open
		}
	}
	return out
}

func or(ts ...tri) tri {
	out := no
	for _, t := range ts {
		if t == yes {
			return yes
		}
		if t == open {
			out = open
		}
	}
	return out
}

func not(t tri) tri {
	switch t {
	case yes:
		return no
	case no:
		return yes
	}
	return open
}

func of(b bool) tri {
	if b {
		return yes
	}
	return no
}

// status of a benefit from its grant and exception rules, as the engine
// combines them.
func status(grant tri, deny ...tri) string {
	d := or(deny...)
	switch {
	case d == yes:
		return "ineligible"
	case grant == yes && d == no:
		return "eligible"
	case grant == no:
		return "ineligible"
	}
	return "undetermined"
}

// factIndex reads facts by name.
type factIndex map[string]int

func newFactIndex() factIndex {
	ix := factIndex{}
	for _, f := range facts.All() {
		ix[f.Name] = f.Index()
	}
	return ix
}

func (ix factIndex) boolean(t facts.Table, name string) tri {
	v := t[ix[name]]
	if !v.Known() {
		return open
	}
	return of(v.V == types.True)
}

func (ix factIndex) integer(t facts.Table, name string) (int64, bool) {
	v := t[ix[name]]
	if !v.Known() {
		return 0, false
	}
	n, ok := v.V.(types.Int)
	return int64(n), ok
}

func (ix factIndex) str(t facts.Table, name string) (string, bool) {
	v := t[ix[name]]
	if !v.Known() {
		return "", false
	}
	s, ok := v.V.(types.String)
	return string(s), ok
}

// cmp is a three-valued comparison of two possibly unknown integers.
func cmp(a int64, aok bool, b int64, bok bool, f func(a, b int64) bool) tri {
	if !aok || !bok {
		return open
	}
	return of(f(a, b))
}

func lt(a, b int64) bool { return a < b }
func le(a, b int64) bool { return a <= b }
func ge(a, b int64) bool { return a >= b }

// nationalGo determines codes 1-7 under the national rules.
func nationalGo(ix factIndex, p *rulepack.Pack, h *household.Household, asOf time.Time, scratch *facts.Subject) (map[string]string, *facts.Subject) {
	ps := rulepack.ParamSource{Pack: p, Jurisdiction: h.Jurisdiction}
	s := facts.ComputeInto(scratch, h, asOf, ps)
	hh := s.Household
	out := map[string]string{}

	pci, pciOK := ix.integer(hh, "household.per_capita_income")
	std, stdOK := ix.integer(hh, "household.dibao_standard")
	edge, edgeOK := ix.integer(hh, "household.dibao_edge_line")
	propertyOK := ix.boolean(hh, "household.property_ok")
	inDibao := ix.boolean(hh, "household.status.dibao")

	dibaoGrant := and(cmp(pci, pciOK, std, stdOK, lt), propertyOK)
	out["dibao/household"] = status(dibaoGrant)
	dibao := of(out["dibao/household"] == "eligible")
	if out["dibao/household"] == "undetermined" {
		dibao = open
	}

	months, monthsOK := ix.integer(hh, "household.months_above_standard")
	maxMonths, maxOK := ps.Int("phase_out_months", asOf)
	phase := and(inDibao, ix.boolean(hh, "household.any_employed"), ix.boolean(hh, "household.above_standard"),
		cmp(months, monthsOK, maxMonths, maxOK, le))
	out["dibao_phase_out/household"] = status(phase)

	edgeFamily := or(ix.boolean(hh, "household.status.dibao_edge"),
		and(cmp(pci, pciOK, std, stdOK, ge), cmp(pci, pciOK, edge, edgeOK, lt), propertyOK))
	adultAge, adultOK := ps.Int("adult_age", asOf)
	for i, m := range h.Members {
		mt := s.Members[i]
		id := m.ID
		disabled := ix.boolean(mt, "member.disabled")
		certified := ix.boolean(mt, "member.certified")
		grade, gradeOK := ix.integer(mt, "member.grade")
		cat, catOK := ix.str(mt, "member.category")
		counted, countedOK := ix.integer(mt, "member.counted_income")
		age, ageOK := ix.integer(mt, "member.age")
		severe := cmp(grade, gradeOK, 2, true, le)
		grade3 := cmp(grade, gradeOK, 3, true, func(a, b int64) bool { return a == b })
		intellectualOrMental := open
		if catOK {
			intellectualOrMental = of(cat == "intellectual" || cat == "mental")
		}
		notInDibao := and(not(inDibao), not(dibao))
		ownBelow := cmp(counted, countedOK, std, stdOK, lt)

		single := "ineligible"
		if disabled != no {
			r1 := and(notInDibao, edgeFamily, certified, or(severe, and(grade3, intellectualOrMental)), ownBelow)
			r2 := and(notInDibao, cmp(age, ageOK, adultAge, adultOK, ge), ix.boolean(mt, "member.no_occupation"), severe, certified, ownBelow)
			single = status(or(r1, r2))
			if disabled == yes {
				out["dibao_single_person/"+id] = single
			}
		}

		employed := ix.boolean(mt, "member.employed")
		wages, wagesOK := ix.integer(mt, "member.wages")
		if and(employed, cmp(wages, wagesOK, 0, true, func(a, b int64) bool { return a > b })) == yes {
			out["employment_cost_deduction/"+id] = status(or(inDibao, dibao))
		}

		if disabled == yes {
			singleVal := of(single == "eligible")
			if single == "undetermined" {
				singleVal = open
			}
			tekun := ix.boolean(mt, "member.tekun")
			injury := ix.boolean(mt, "member.work_injury_care")
			out["living_allowance/"+id] = status(and(certified, or(inDibao, dibao, singleVal)), tekun, injury, ix.boolean(mt, "member.orphan_guarantee"))
			out["care_subsidy/"+id] = status(and(certified, severe, ix.boolean(mt, "member.long_term_care")), tekun, injury)
		}
	}
	return out, s
}
