package engine

import (
	"sort"
	"sync"

	"entitle/engine/rulepack"
)

// Coverage records, across evaluations, which rules were evaluated and with
// what outcome, and which conditions were seen true and false. It is safe
// for concurrent use. `entitle test` reports it.
type Coverage struct {
	mu    sync.Mutex
	conds map[int]*[2]bool    // condition index → seen false, seen true
	rules map[string]*[3]bool // rule id → seen false, true, unknown
}

// NewCoverage makes an empty coverage record.
func NewCoverage() *Coverage {
	return &Coverage{conds: map[int]*[2]bool{}, rules: map[string]*[3]bool{}}
}

// Record makes an evaluation add to a coverage record.
func Record(c *Coverage) EvalOption { return func(cfg *evalConfig) { cfg.cov = c } }

func (c *Coverage) cond(i int, v tri) {
	if c == nil || (v != triTrue && v != triFalse) {
		return
	}
	c.mu.Lock()
	s := c.conds[i]
	if s == nil {
		s = &[2]bool{}
		c.conds[i] = s
	}
	s[map[tri]int{triFalse: 0, triTrue: 1}[v]] = true
	c.mu.Unlock()
}

func (c *Coverage) rule(id string, v tri) {
	if c == nil {
		return
	}
	c.mu.Lock()
	s := c.rules[id]
	if s == nil {
		s = &[3]bool{}
		c.rules[id] = s
	}
	switch v {
	case triFalse:
		s[0] = true
	case triTrue:
		s[1] = true
	default:
		s[2] = true
	}
	c.mu.Unlock()
}

// CoverageReport summarises a coverage record against a pack.
type CoverageReport struct {
	Rules                int      `json:"rules"`
	RulesExercised       int      `json:"rules_exercised"`
	Conditions           int      `json:"conditions"`
	ConditionsBothWays   int      `json:"conditions_both_ways"`
	NeverEvaluated       []string `json:"never_evaluated"`        // rules no case reached
	NeverTrue            []string `json:"never_true"`             // rules that never held
	NeverFalse           []string `json:"never_false"`            // rules that never failed
	ConditionsNeverTrue  []string `json:"conditions_never_true"`  // rule/condition
	ConditionsNeverFalse []string `json:"conditions_never_false"` // rule/condition
}

// Report compares the record with every rule and condition of the pack.
func (c *Coverage) Report(p *rulepack.Pack) CoverageReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	var r CoverageReport
	for _, rule := range p.Rules {
		r.Rules++
		s := c.rules[rule.ID]
		switch {
		case s == nil:
			r.NeverEvaluated = append(r.NeverEvaluated, rule.ID)
			continue
		case !s[1]:
			r.NeverTrue = append(r.NeverTrue, rule.ID)
		}
		if !s[0] {
			r.NeverFalse = append(r.NeverFalse, rule.ID)
		}
		if s[0] || s[1] {
			r.RulesExercised++
		}
	}
	for _, cond := range p.Conditions {
		r.Conditions++
		s := c.conds[cond.Index]
		name := cond.Rule + "/" + cond.ID
		switch {
		case s == nil:
			r.ConditionsNeverTrue = append(r.ConditionsNeverTrue, name)
			r.ConditionsNeverFalse = append(r.ConditionsNeverFalse, name)
		case !s[1]:
			r.ConditionsNeverTrue = append(r.ConditionsNeverTrue, name)
		case !s[0]:
			r.ConditionsNeverFalse = append(r.ConditionsNeverFalse, name)
		default:
			r.ConditionsBothWays++
		}
	}
	for _, l := range [][]string{r.NeverEvaluated, r.NeverTrue, r.NeverFalse, r.ConditionsNeverTrue, r.ConditionsNeverFalse} {
		sort.Strings(l)
	}
	return r
}
