// Package engine evaluates household records against a rule pack and explains
// every outcome: for each benefit and each member it concerns, one of
// eligible, ineligible or undetermined, with the rules and the verbatim
// sentences of policy it rests on, the reasons, and the facts still missing.
//
// Load a pack once (the embedded one, or a directory), then evaluate as many
// households as you like, from as many goroutines as you like:
//
//	eng, err := engine.LoadEmbedded()
//	res, err := eng.Evaluate(ctx, h, engine.AsOf(date))
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"entitle/engine/facts"
	"entitle/engine/household"
	"entitle/engine/rulepack"
	"entitle/rules"
)

// Engine evaluates households against one compiled rule pack. It is safe for
// concurrent use.
type Engine struct {
	pack  *rulepack.Pack
	slots *slots
	now   func() time.Time
	// covered lists the pack's areas, for the problem of a record naming
	// another.
	covered []household.Area
	// paramDeps caches, per rule, the variables its expressions read.
	paramDeps map[*rulepack.Rule][]string
	// ruleParams lists, by jurisdiction, residence and rule order, the
	// parameter indexes a rule reads directly or through facts and
	// definitions: what makes an outcome rest on example values.
	ruleParams map[string]map[string][][]int
	// ruleDefs lists, by jurisdiction and rule order, the definitions a rule
	// reads directly or through other definitions.
	ruleDefs map[string][][]int
	// pool recycles evaluators' scratch space.
	pool sync.Pool
	// readsBenefits marks rules, and condBenefits conditions, that read
	// another benefit's determination.
	readsBenefits     map[*rulepack.Rule]bool
	condReadsBenefits []bool
	// sel caches the work each Benefits option selects.
	sel selections
	// defOrderIndex gives, for each definition in evaluation order, its
	// index in the pack's list.
	defOrderIndex []int
	// ruleTexts holds, by rule order, the parts of a result that depend
	// only on the rule; texts, the JSON encodings of the pack's texts.
	ruleTexts []ruleTexts
	texts     *encodedTexts
	// factParams lists, by residence and derived fact, the parameters the
	// fact reads (facts.ParamsOf, as indexes); defNames are the
	// definitions' names as example_values lists them ("def.NAME").
	factParams map[string]map[string][]int
	defNames   []string
	// condShows gives, by condition index, what its reason shows.
	condShows []condShow
	// notDet holds what a result says of the benefits it does not determine.
	notDet notDeterminedTexts
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock that gives "today" (the default evaluation date
// and the bound for birth dates). The default is time.Now.
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// New makes an engine for a loaded pack.
func New(p *rulepack.Pack, opts ...Option) *Engine {
	e := &Engine{pack: p, slots: newSlots(p), now: time.Now, paramDeps: map[*rulepack.Rule][]string{}}
	for _, o := range opts {
		o(e)
	}
	e.readsBenefits = map[*rulepack.Rule]bool{}
	e.condReadsBenefits = make([]bool, len(p.Conditions))
	for _, c := range p.Conditions {
		for _, v := range c.Expr.Vars {
			if strings.HasPrefix(v, "benefit.") {
				e.condReadsBenefits[c.Index] = true
			}
		}
	}
	for _, r := range p.Rules {
		e.paramDeps[r] = directParams(p, r)
		for _, c := range r.AllConditions {
			if e.condReadsBenefits[c.Index] {
				e.readsBenefits[r] = true
			}
		}
	}
	for _, d := range p.DefOrder {
		e.defOrderIndex = append(e.defOrderIndex, slices.Index(p.Defs, d))
	}
	for _, j := range p.Jurisdictions {
		e.covered = append(e.covered, household.Area{Code: j.Code, Zh: j.Name.Zh, En: j.Name.En})
	}
	e.makeCondShows()
	e.makeNotDetermined() // before makeTexts, which keeps its texts encoded
	e.makeTexts()
	e.ruleDefs = map[string][][]int{}
	for _, j := range p.Jurisdictions {
		list := make([][]int, len(p.Rules))
		for _, r := range p.Rules {
			list[r.Order] = e.defsOf(r, j.Code)
		}
		e.ruleDefs[j.Code] = list
	}
	e.ruleParams = map[string]map[string][][]int{}
	for _, j := range p.Jurisdictions {
		e.ruleParams[j.Code] = map[string][][]int{}
		for _, res := range []string{"", "urban", "rural"} {
			h := &household.Household{Jurisdiction: j.Code, Residence: res}
			list := make([][]int, len(p.Rules))
			for _, r := range p.Rules {
				for _, name := range e.paramsOf(r, h) {
					if i := paramIndex(p, name); i >= 0 {
						list[r.Order] = append(list[r.Order], i)
					}
				}
			}
			e.ruleParams[j.Code][res] = list
		}
	}
	e.factParams = map[string]map[string][]int{}
	for _, res := range []string{"", "urban", "rural"} {
		e.factParams[res] = map[string][]int{}
		for _, f := range slices.Concat(derivedHousehold, derivedMember) {
			for _, name := range facts.ParamsOf(f.Name, res) {
				if i := paramIndex(p, name); i >= 0 {
					e.factParams[res][f.Name] = append(e.factParams[res][f.Name], i)
				}
			}
		}
	}
	for _, d := range p.Defs {
		e.defNames = append(e.defNames, "def."+d.Name)
	}
	return e
}

// Load reads, checks and compiles the pack in fsys and makes an engine for it.
// A pack with errors returns them as rulepack.Diagnostics.
func Load(fsys fs.FS, opts ...Option) (*Engine, error) {
	p, diags := rulepack.Load(fsys)
	if p == nil {
		return nil, diags.Errors()
	}
	return New(p, opts...), nil
}

// LoadDir loads the pack in a directory.
func LoadDir(dir string, opts ...Option) (*Engine, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("rule pack %s: not a directory", dir)
	}
	return Load(os.DirFS(dir), opts...)
}

// LoadEmbedded loads the pack compiled into the binary (the rules/ directory).
func LoadEmbedded(opts ...Option) (*Engine, error) { return Load(rules.FS, opts...) }

// Pack returns the engine's rule pack.
func (e *Engine) Pack() *rulepack.Pack { return e.pack }

// Today returns the current date on the engine's clock.
func (e *Engine) Today() time.Time {
	t := e.now()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// EvalOption tunes one evaluation.
type EvalOption func(*evalConfig)

type evalConfig struct {
	asOf    *time.Time
	explain bool
	lean    bool
	brief   bool
	cov     *Coverage
	only    []string // Benefits: sorted codes, nil for all
	onlyKey string   // the codes joined, the selection cache's key
	into    *Scratch // Into: the memory the result is made in
}

// Lean leaves out of the result what batch work does not read: citation
// texts (look them up by rule id in the pack), the values behind reasons,
// labels of missing fields, caveat texts and derived facts. Statuses,
// modalities, amounts, periods, rule ids, failed condition ids, missing field
// paths and caveat codes are the same as in a full result.
func Lean() EvalOption { return func(c *evalConfig) { c.lean = true } }

// AsOf evaluates as of a date. Without it, the record's as_of is used, and
// without that, today.
func AsOf(d time.Time) EvalOption {
	return func(c *evalConfig) {
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		c.asOf = &t
	}
}

// Explain adds the condition-by-condition trace to every determination.
func Explain() EvalOption { return func(c *evalConfig) { c.explain = true } }

// AsOfDate resolves the evaluation date for a record under the options.
func (e *Engine) AsOfDate(h *household.Household, opts ...EvalOption) time.Time {
	var c evalConfig
	for _, o := range opts {
		o(&c)
	}
	return e.asOfDate(h, c)
}

func (e *Engine) asOfDate(h *household.Household, c evalConfig) time.Time {
	switch {
	case c.asOf != nil:
		return *c.asOf
	case h.AsOf != nil:
		return h.AsOf.Time
	}
	return e.Today()
}

// Validate checks a decoded record against the pack (jurisdiction) and
// itself (check digits, dates). It returns errors and warnings with field
// paths; use household.Positions.Place to add lines.
func (e *Engine) Validate(h *household.Household, opts ...EvalOption) (errs, warnings household.Errors) {
	var c evalConfig
	for _, o := range opts {
		o(&c)
	}
	asOf := household.Date{Time: e.asOfDate(h, c)}
	return household.Validate(h, household.ValidateOptions{Today: e.now(), AsOf: &asOf, KnownJurisdiction: e.knownJurisdiction, CoveredJurisdictions: e.covered})
}

// Checked is a record checked without being evaluated (Engine.Check).
type Checked struct {
	// Household is the record as the engine reads it: each name given for
	// a code written as the code (household.Canonical), and a jurisdiction
	// given by its name (侯马市) as its code (141081).
	Household *household.Household `json:"household"`
	// Warnings are the record's problems that would not stop an
	// evaluation, as a Result lists them.
	Warnings []Warning `json:"warnings"`
}

// Check validates a record as Evaluate does, on the same date, without
// evaluating it: an invalid record returns the same household.Errors; a
// valid one comes back as the engine reads it, with its warnings.
func (e *Engine) Check(h *household.Household, opts ...EvalOption) (*Checked, error) {
	errs, warnings := e.Validate(h, opts...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	c := household.Canonical(h)
	if !household.IsAreaCode(c.Jurisdiction) {
		if j, ok := e.pack.ResolveJurisdiction(c.Jurisdiction); ok {
			c.Jurisdiction = j.Code
		}
	}
	return &Checked{Household: c, Warnings: appendWarnings([]Warning{}, warnings, false)}, nil
}

// appendWarnings appends a record's warnings as a result lists them; lean,
// without the words (message_zh, summary, label).
func appendWarnings(dst []Warning, warnings household.Errors, lean bool) []Warning {
	for _, w := range warnings {
		x := Warning{Code: string(w.Code), Field: w.Field, Message: w.Msg}
		if !lean {
			x.MessageZh = w.Zh
			summary, label := Describe(w.Code, w.Field)
			if summary.Zh != "" {
				x.Summary = &summary
			}
			x.Label = label
		}
		dst = append(dst, x)
	}
	return dst
}

// knownJurisdiction reports whether the pack covers the area a record
// names, by code or by name.
func (e *Engine) knownJurisdiction(s string) bool {
	_, ok := e.pack.ResolveJurisdiction(s)
	return ok
}

// Evaluate validates and evaluates one household. An invalid record returns
// household.Errors (with field paths) and no result.
func (e *Engine) Evaluate(ctx context.Context, h *household.Household, opts ...EvalOption) (*Result, error) {
	var c evalConfig
	for _, o := range opts {
		o(&c)
	}
	errs, warnings := e.Validate(h, opts...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return e.evaluate(ctx, h, c, warnings)
}

// EvaluateRecord decodes a JSON or YAML record, validates it (errors name
// the file, line, column and field) and evaluates it.
func (e *Engine) EvaluateRecord(ctx context.Context, data []byte, dopts household.DecodeOptions, opts ...EvalOption) (*Result, error) {
	h, pos, err := household.Decode(data, dopts)
	if err != nil {
		return nil, err
	}
	var c evalConfig
	for _, o := range opts {
		o(&c)
	}
	errs, warnings := e.Validate(h, opts...)
	if len(errs) > 0 {
		return nil, pos.Place(errs)
	}
	return e.evaluate(ctx, h, c, pos.Place(warnings))
}

func (e *Engine) evaluate(ctx context.Context, h *household.Household, c evalConfig, warnings household.Errors) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	asOf := e.asOfDate(h, c)
	jur, ok := e.pack.ResolveJurisdiction(h.Jurisdiction)
	if !ok {
		return nil, household.Errors{household.UncoveredJurisdiction(h.Jurisdiction, e.covered...)}
	}
	sel, err := e.selection(c.only, c.onlyKey)
	if err != nil {
		return nil, err
	}
	ev := e.newEvaluator(ctx, h, asOf, c, sel)
	defer e.release(ev)
	dets, err := ev.evaluate()
	if err != nil {
		return nil, err
	}
	if verifyBrief && !c.brief {
		e.checkBrief(ctx, h, c, dets)
	}
	var derived []DerivedFact
	var questions []Question
	if !c.lean {
		derived = ev.derived()
		questions = checklist(dets)
		if questions == nil {
			questions = []Question{}
		}
	}
	var res *Result
	if c.into != nil {
		res = &c.into.result
	} else {
		res = new(Result)
	}
	*res = Result{
		SchemaVersion:  ResultSchemaVersion,
		Household:      h.ID,
		Jurisdiction:   Place{Code: jur.Code, Name: jur.Name},
		AsOf:           asOf.Format("2006-01-02"),
		RulePack:       Pack{ID: e.pack.Meta.ID, Version: e.pack.Meta.Version, Hash: e.pack.Meta.Hash},
		ExampleValues:  []string{},
		Derived:        derived,
		Determinations: dets,
		Checklist:      questions,
		NotDetermined:  ev.notDetermined(),
		Warnings:       []Warning{},
	}
	var examples []string
	for _, d := range dets {
		examples = append(examples, d.ExampleValues...)
	}
	for _, f := range res.Derived {
		if f.Example {
			for _, i := range e.factParams[ev.residence][f.Name] {
				if ev.example[i] {
					examples = append(examples, e.pack.Params[i].Name)
				}
			}
		}
	}
	if examples != nil {
		res.ExampleValues = sortUnique(examples)
	}
	res.Warnings = appendWarnings(res.Warnings, warnings, c.lean)
	if verifyJSON {
		e.checkJSON(res)
	}
	return res, nil
}

// IsInputError reports whether err is a problem with the household record
// (as opposed to a rule or system failure).
func IsInputError(err error) bool {
	var es household.Errors
	return errors.As(err, &es)
}

// directParams lists the parameters a rule's expressions read directly.
func directParams(p *rulepack.Pack, r *rulepack.Rule) []string {
	seen := map[string]bool{}
	var exprs []*rulepack.Expr
	for _, c := range r.AllConditions {
		exprs = append(exprs, c.Expr)
	}
	if r.Amount != nil {
		exprs = append(exprs, r.Amount.Expr)
	}
	if r.Period != nil {
		exprs = append(exprs, r.Period.Start, r.Period.Months)
	}
	for _, x := range exprs {
		for _, v := range x.Vars {
			seen[v] = true
		}
	}
	return sortedSet(seen)
}

// defsOf lists the indexes of the definitions a rule reads in a
// jurisdiction, directly or through other definitions.
func (e *Engine) defsOf(r *rulepack.Rule, jur string) []int {
	seen := map[string]bool{}
	var visit func(v string, depth int)
	visit = func(v string, depth int) {
		name, ok := strings.CutPrefix(v, "def.")
		if !ok || depth > 8 || seen[name] {
			return
		}
		seen[name] = true
		for _, j := range []string{jur, "national"} {
			for _, dv := range e.pack.DefValues(j, name) {
				for _, x := range dv.Expr.Vars {
					visit(x, depth+1)
				}
			}
		}
	}
	for _, v := range e.paramDeps[r] {
		visit(v, 0)
	}
	var out []int
	for i, d := range e.pack.Defs {
		if seen[d.Name] {
			out = append(out, i)
		}
	}
	return out
}

// paramsOf lists the parameters a rule reads for a household: directly, and
// through the facts and definitions it reads.
func (e *Engine) paramsOf(r *rulepack.Rule, h *household.Household) []string {
	res := household.NormalizeResidence(h.Residence)
	seen := map[string]bool{}
	var visitVar func(v string, depth int)
	visitVar = func(v string, depth int) {
		switch {
		case depth > 8:
		case len(v) > 7 && v[:7] == "params.":
			seen[v[7:]] = true
		case len(v) > 4 && v[:4] == "def.":
			for _, j := range []string{h.Jurisdiction, "national"} {
				for _, dv := range e.pack.DefValues(j, v[4:]) {
					for _, x := range dv.Expr.Vars {
						visitVar(x, depth+1)
					}
				}
			}
		default:
			for _, p := range facts.ParamsOf(v, res) {
				seen[p] = true
			}
		}
	}
	for _, v := range e.paramDeps[r] {
		visitVar(v, 0)
	}
	return sortedSet(seen)
}
