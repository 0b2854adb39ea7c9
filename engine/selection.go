package engine

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"entitle/engine/facts"
	"entitle/engine/rulepack"
)

// Benefits limits an evaluation to some benefit codes: only their
// determinations are returned, and only they, the benefits they read
// (benefit.CODE), those that continue them (paid_as) or let a member claim
// them alone (separate_claim_to), and the definitions their rules need are
// evaluated. A batch that checks a few benefits (a
// payment roll) runs much faster with it.
// Unknown codes make Evaluate fail.
func Benefits(codes ...string) EvalOption {
	codes = slices.Clone(codes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	key := strings.Join(codes, ",")
	return func(c *evalConfig) { c.only, c.onlyKey = codes, key }
}

// selection is what one Benefits option makes the evaluator do.
type selection struct {
	eval   []bool            // by benefit order: evaluate it
	output []bool            // by benefit order: return its determinations
	defs   map[string][]bool // by jurisdiction, by definition index: evaluate it
	facts  *facts.Only       // the facts those rules and definitions read, and the derived facts shown
}

// selections caches a selection per list of codes; reads take no lock, as
// every evaluation of a batch asks for the same one.
type selections struct {
	m sync.Map // string → *selection
}

// selection returns the (cached) selection for sorted codes joined as key,
// or nil for all.
func (e *Engine) selection(codes []string, key string) (*selection, error) {
	if codes == nil {
		return nil, nil
	}
	if s, ok := e.sel.m.Load(key); ok {
		return s.(*selection), nil
	}
	p := e.pack
	s := &selection{eval: make([]bool, len(p.Benefits)), output: make([]bool, len(p.Benefits)), defs: map[string][]bool{}}
	var visit func(b *rulepack.Benefit)
	visit = func(b *rulepack.Benefit) {
		if s.eval[b.Order] {
			return
		}
		s.eval[b.Order] = true
		for _, d := range b.DependsOn {
			if dep, ok := p.Benefit(d); ok {
				visit(dep)
			}
		}
	}
	for _, c := range codes {
		b, ok := p.Benefit(c)
		if !ok {
			return nil, fmt.Errorf("unknown benefit code %q", c)
		}
		s.output[b.Order] = true
		visit(b)
		// A benefit that continues this one (paid_as) or that a member
		// may claim it through (separate_claim_to) adds a caveat to it,
		// so it is evaluated too (crossRefCaveats).
		for _, by := range b.ContinuedBy {
			visit(by)
		}
		for _, by := range b.ClaimedSeparatelyBy {
			visit(by)
		}
	}
	for _, j := range p.Jurisdictions {
		need := make([]bool, len(p.Defs))
		for _, b := range p.Benefits {
			if !s.eval[b.Order] {
				continue
			}
			for _, r := range p.RulesFor(j.Code, b.Code) {
				for _, i := range e.ruleDefs[j.Code][r.Order] {
					need[i] = true
				}
				if r.Concerns != nil && slices.ContainsFunc(r.Concerns.Vars, func(v string) bool { return strings.HasPrefix(v, "def.") }) {
					// Concerns reading definitions are rare: evaluate them all.
					for i := range need {
						need[i] = true
					}
				}
			}
		}
		s.defs[j.Code] = need
	}
	s.facts = e.factsRead(s)
	actual, _ := e.sel.m.LoadOrStore(key, s)
	return actual.(*selection), nil
}

// factsRead marks the facts that the selected benefits' rules (in every
// jurisdiction) and the definitions they need read, and the derived facts
// a full result shows: the facts an evaluation of the selection computes.
func (e *Engine) factsRead(s *selection) *facts.Only {
	p := e.pack
	only := facts.NewOnly()
	read := func(x *rulepack.Expr) {
		if x == nil {
			return
		}
		for _, v := range x.Vars {
			if f, ok := facts.Lookup(v); ok {
				only.Mark(f)
			}
			for _, f := range shownWith[v] { // listed by reasons
				only.Mark(f)
			}
		}
	}
	for _, b := range p.Benefits {
		if !s.eval[b.Order] {
			continue
		}
		read(b.Concerns)
		for _, j := range p.Jurisdictions {
			for _, r := range p.RulesFor(j.Code, b.Code) {
				r.Exprs(read)
				for _, c := range r.AllConditions { // those it extends too
					read(c.Expr)
				}
			}
		}
	}
	for _, j := range append([]string{"national"}, p.ParamJurisdictions()...) {
		for i, d := range p.Defs {
			if need, ok := s.defs[j]; ok && !need[i] {
				continue
			}
			for _, v := range p.DefValues(j, d.Name) {
				read(v.Expr)
			}
		}
	}
	for _, f := range derivedHousehold {
		only.Mark(f)
	}
	for _, f := range derivedMember {
		only.Mark(f)
	}
	return only
}
