package engine

import (
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"entitle/engine/facts"
	"entitle/engine/rulepack"
)

// slotKind says which table a variable lives in.
type slotKind uint8

const (
	slotHousehold slotKind = iota // household facts
	slotMember                    // the current member's facts
	slotParam                     // parameters
	slotDefH                      // household definitions
	slotDefM                      // the current member's definitions
	slotBenefitH                  // household benefits' determinations
	slotBenefitM                  // the current member's benefits' determinations
	slotAsOf                      // the evaluation date
)

// slot locates one CEL variable.
type slot struct {
	kind    slotKind
	index   int
	name    string
	pattern *cel.AttributePatternType // marks the variable unknown in partial evaluation
	// param is the missing field a parameter without a value stands for
	// ("parameter:NAME"); empty for other variables.
	param string
}

// slots maps every variable of the pack's environment to its table.
type slots struct {
	byName map[string]*slot
	// unknowns maps each unknown a compiled read of a variable gives
	// (made once, when the expression is compiled) to the variable's slot.
	unknowns map[*types.Unknown]*slot
	// exprs holds, by Expr.Index, the slots each expression reads and its
	// compiled form.
	exprs []*exprInfo
}

var noInfo = &exprInfo{}

// info returns what is known of an expression (nothing for one the pack
// did not register, which then runs on its CEL program).
func (s *slots) info(e *rulepack.Expr) *exprInfo {
	if e.Index < len(s.exprs) {
		if i := s.exprs[e.Index]; i != nil {
			return i
		}
	}
	return noInfo
}

// exprInfo is what the evaluator needs of one expression.
type exprInfo struct {
	expr  *rulepack.Expr
	slots []*slot
	// fn is the expression compiled to closures; nil if it could not be.
	fn compiledFn
	// lhs and rhs are the two sides of a comparison (Expr.Cmp), compiled,
	// for the reasons that show both; nil if not compiled.
	lhs, rhs compiledFn
}

func newSlots(p *rulepack.Pack) *slots {
	s := &slots{byName: map[string]*slot{}, unknowns: map[*types.Unknown]*slot{}, exprs: make([]*exprInfo, p.ExprCount+1)}
	add := func(name string, k slotKind, i int) {
		sl := &slot{kind: k, index: i, name: name, pattern: cel.AttributePattern(name)}
		if k == slotParam {
			sl.param = facts.ParamField(strings.TrimPrefix(name, "params."))
		}
		s.byName[name] = sl
	}
	for _, f := range facts.All() {
		if f.Scope == facts.Member {
			add(f.Name, slotMember, f.Index())
		} else {
			add(f.Name, slotHousehold, f.Index())
		}
	}
	for i, d := range p.Params {
		add("params."+d.Name, slotParam, i)
	}
	for i, d := range p.Defs {
		if d.Scope == facts.Member {
			add("def."+d.Name, slotDefM, i)
		} else {
			add("def."+d.Name, slotDefH, i)
		}
	}
	for i, b := range p.Benefits {
		if b.Scope == facts.Member {
			add("benefit."+b.Code, slotBenefitM, i)
		} else {
			add("benefit."+b.Code, slotBenefitH, i)
		}
	}
	add("as_of", slotAsOf, 0)
	register := func(e *rulepack.Expr) {
		if e == nil || e.Index == 0 || e.Index >= len(s.exprs) {
			return
		}
		list := make([]*slot, 0, len(e.Vars))
		for _, v := range e.Vars {
			if sl, ok := s.byName[v]; ok {
				list = append(list, sl)
			}
		}
		info := &exprInfo{expr: e, slots: list, fn: s.compileExpr(e)}
		if e.Cmp != nil {
			info.lhs, info.rhs = s.compileSub(e, e.Cmp.LHS.ID), s.compileSub(e, e.Cmp.RHS.ID)
		}
		s.exprs[e.Index] = info
	}
	for _, b := range p.Benefits {
		register(b.Concerns)
	}
	for _, r := range p.Rules {
		r.Exprs(register)
	}
	for _, j := range append([]string{"national"}, p.ParamJurisdictions()...) {
		for _, d := range p.Defs {
			for _, v := range p.DefValues(j, d.Name) {
				register(v.Expr)
			}
		}
	}
	return s
}

// activation resolves CEL variables for one subject: the household, or one
// member of it. It implements interpreter.Activation without allocating.
type activation struct {
	s      *slots
	hh     facts.Table
	mem    facts.Table
	params []facts.Value
	defH   []facts.Value
	defM   []facts.Value
	benH   []facts.Value
	benM   []facts.Value
	asOf   facts.Value
	// strictH and strictM hold benefit values that are true only for shall
	// entitlements; strict selects them (see evaluator.effectiveModality).
	strictH, strictM []facts.Value
	strict           bool
}

// at is where a slot's value is, nil when the subject has none (a member
// slot read for the household).
func (a *activation) at(sl *slot) *facts.Value {
	var t []facts.Value
	switch sl.kind {
	case slotHousehold:
		t = a.hh
	case slotMember:
		t = a.mem
	case slotParam:
		t = a.params
	case slotDefH:
		t = a.defH
	case slotDefM:
		t = a.defM
	case slotBenefitH:
		t = a.benH
		if a.strict {
			t = a.strictH
		}
	case slotBenefitM:
		t = a.benM
		if a.strict {
			t = a.strictM
		}
	case slotAsOf:
		return &a.asOf
	}
	if sl.index >= len(t) {
		return nil
	}
	return &t[sl.index]
}

// value is a slot's value; unknown when the subject has none.
func (a *activation) value(sl *slot) facts.Value {
	if v := a.at(sl); v != nil {
		return *v
	}
	return facts.Value{}
}

// known reports whether a slot's value is known, without copying it.
func (a *activation) known(sl *slot) bool {
	v := a.at(sl)
	return v != nil && v.V != nil
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	sl, ok := a.s.byName[name]
	if !ok {
		return nil, false
	}
	v := a.value(sl)
	if v.V == nil {
		return nil, false
	}
	return v.V, true
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }

// missingOf turns a variable's unknown value into the input fields to ask for.
func (a *activation) missingOf(name string) []string {
	sl, ok := a.s.byName[name]
	if !ok {
		return nil
	}
	return a.missingOfSlot(sl)
}

// missingOfSlot is missingOf for a variable's slot. The list returned may
// be the fact table's own: callers copy it before changing it.
func (a *activation) missingOfSlot(sl *slot) []string {
	v := a.value(sl)
	if v.Known() {
		return nil
	}
	if len(v.Missing) == 0 && sl.param != "" {
		return []string{sl.param}
	}
	return v.Missing
}
