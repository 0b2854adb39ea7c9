package rulepack

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	pathpkg "path"
	"sort"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"

	"entitle/engine/facts"
	"entitle/engine/money"
	"entitle/engine/sources"
)

// Pack is a loaded, validated and compiled rule pack. It is read-only after
// Load and safe for concurrent use.
type Pack struct {
	Meta          Meta
	Benefits      []*Benefit // in the order of benefits.yaml
	Exclusives    []*Exclusive
	Jurisdictions []*Jurisdiction
	Documents     []*Document
	Params        []*ParamDecl
	Defs          []*DefDecl
	Rules         []*Rule      // in pack order
	Conditions    []*Condition // every condition, by Index
	// Order lists benefits so that each comes after those it depends on.
	Order []*Benefit
	// DefOrder lists definitions so that each comes after those it reads.
	DefOrder []*DefDecl
	// Warnings are diagnostics that did not stop the load.
	Warnings Diagnostics
	// Env is the CEL environment the pack's expressions were compiled in.
	Env *cel.Env
	// Tests lists the pack's *.test.yaml files.
	Tests []string
	// ExprCount is how many expressions the pack compiled (Expr.Index).
	ExprCount int

	benefitByCode map[string]*Benefit
	ruleByID      map[string]*Rule
	docByID       map[string]*Document
	jurByCode     map[string]*Jurisdiction
	paramByName   map[string]*ParamDecl
	defByName     map[string]*DefDecl
	values        map[string]map[string][]*ParamValue // jurisdiction → parameter → values by date
	defValues     map[string]map[string][]*DefValue
	byJurBenefit  map[string]map[string][]*Rule
	coverage      []CoverageRow
	indicators    map[string][]*Indicator
}

// Defaults for pack settings.
const (
	DefaultCostBudget       = 1000
	DefaultRuntimeCostLimit = 10000
)

// Load reads, validates and compiles the rule pack rooted at fsys. It returns
// the pack, or nil and the errors found; warnings come back in both cases.
func Load(fsys fs.FS) (*Pack, Diagnostics) {
	l := &loader{fsys: fsys, p: &Pack{
		benefitByCode: map[string]*Benefit{}, ruleByID: map[string]*Rule{}, docByID: map[string]*Document{},
		jurByCode: map[string]*Jurisdiction{}, paramByName: map[string]*ParamDecl{}, defByName: map[string]*DefDecl{},
		values: map[string]map[string][]*ParamValue{}, defValues: map[string]map[string][]*DefValue{},
		byJurBenefit: map[string]map[string][]*Rule{}, indicators: map[string][]*Indicator{},
	}}
	l.load()
	l.diags.Sort()
	var warnings Diagnostics
	for _, d := range l.diags {
		if d.Severity == Warning {
			warnings = append(warnings, d)
		}
	}
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	if l.comp != nil {
		l.p.ExprCount = l.comp.count
	}
	l.p.Warnings = warnings
	return l.p, warnings
}

type loader struct {
	fsys  fs.FS
	p     *Pack
	diags Diagnostics
	comp  *compiler
	files packFiles
	// ruleFile and rulePath locate each rule for later diagnostics.
	ruleFile map[string]*yamlFile
	rulePath map[string]string
	defFile  map[*DefValue]*yamlFile
	defPath  map[*DefValue]string
	// memberDefault is the compiled default concerns, member.disabled.
	memberDefault *Expr
}

func (l *loader) errorf(file string, line int, code Code, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: file, Line: line, Column: 1, Code: code, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) load() {
	var err error
	if l.files, err = listFiles(l.fsys); err != nil {
		l.errorf(".", 0, CodeMissingFile, "cannot list the pack: %v", err)
		return
	}
	l.p.Tests = l.files.tests
	l.loadMeta()
	l.loadSources()
	bf := l.loadBenefits()
	l.loadJurisdictions()
	l.loadDecls()
	if len(l.diags.Errors()) > 0 {
		return
	}
	env, err := newEnv(l.p.Params, l.p.Defs, l.p.Benefits)
	if err != nil {
		l.errorf("parameters.yaml", 0, CodeCEL, "cannot build the CEL environment: %v", err)
		return
	}
	l.p.Env = env
	l.comp = &compiler{env: env, budget: l.p.Meta.CostBudget, limit: l.p.Meta.RuntimeCostLimit,
		enums: map[string][]string{}, units: map[string]string{}, benefit: map[string]facts.Scope{}, diags: &l.diags}
	for _, f := range facts.All() {
		if len(f.Enum) > 0 {
			l.comp.enums[f.Name] = f.Enum
		}
		if f.Kind == facts.Money {
			l.comp.units[f.Name] = "money"
		} else {
			l.comp.units[f.Name] = f.Unit
		}
	}
	for _, p := range l.p.Params {
		if p.Type == ParamMoney {
			l.comp.units["params."+p.Name] = "money"
		} else {
			l.comp.units["params."+p.Name] = p.Unit
		}
	}
	for _, b := range l.p.Benefits {
		l.comp.benefit[b.Code] = b.Scope
	}
	l.compileConcerns(bf)
	l.loadValues()
	l.loadRules()
	if len(l.diags.Errors()) > 0 {
		return
	}
	l.resolveRelations()
	l.loadCoverage()
	l.loadIndicators()
	l.orderDefinitions()
	l.orderBenefits()
	l.checkExclusives()
	l.warnUnusedParams()
	l.p.Meta.Hash = l.hash()
}

func parseDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return &t, nil
}

func (l *loader) loadMeta() {
	f := readYAML(l.fsys, "pack.yaml", "catalog", &l.diags)
	if f == nil {
		return
	}
	var s packSpec
	if !f.decode(&s, &l.diags) {
		return
	}
	m := &l.p.Meta
	m.ID, m.Version, m.Name = s.ID, s.Version, s.Name
	if m.ID == "" || m.Version == "" {
		l.diags = append(l.diags, f.diag("", CodeSchema, Error, "pack.yaml needs an id and a version"))
	}
	m.AfterPlanPeriod = s.Settings.AfterPlanPeriod
	if m.AfterPlanPeriod == "" {
		m.AfterPlanPeriod = "continue"
	}
	m.CostBudget = s.Settings.CostBudget
	if m.CostBudget == 0 {
		m.CostBudget = DefaultCostBudget
	}
	m.RuntimeCostLimit = s.Settings.RuntimeCostLimit
	if m.RuntimeCostLimit == 0 {
		m.RuntimeCostLimit = DefaultRuntimeCostLimit
	}
}

// loadSources reads every list of documents: sources/sources.yaml and any
// <dir>/sources.yaml. A document's file is relative to the list's directory.
func (l *loader) loadSources() {
	if len(l.files.sources) == 0 {
		l.errorf(MainSourcesFile, 0, CodeMissingFile, "the pack has no %s", MainSourcesFile)
		return
	}
	for _, path := range l.files.sources {
		l.loadSourceList(path)
	}
}

func (l *loader) loadSourceList(path string) {
	f := readYAML(l.fsys, path, "catalog", &l.diags)
	if f == nil {
		return
	}
	var s sourcesSpec
	if !f.decode(&s, &l.diags) {
		return
	}
	dir := pathpkg.Dir(path)
	for i, d := range s.Documents {
		at := fmt.Sprintf("documents[%d]", i)
		if _, dup := l.p.docByID[d.ID]; dup {
			l.diags = append(l.diags, f.diag(at+".id", CodeDuplicate, Error, "document id %q is used twice", d.ID))
			continue
		}
		if d.Raw != "" && path != MainSourcesFile {
			l.diags = append(l.diags, f.diag(at+".raw", CodeDocument, Error, "raw seeds are cleaned only from %s; put the cleaned text beside this file and drop raw", MainSourcesFile))
			continue
		}
		doc := &Document{ID: d.ID, Jurisdiction: d.Jurisdiction, Title: d.Title, Issuer: d.Issuer, Number: d.Number,
			Script: d.Script, Provenance: d.Provenance, File: pathpkg.Join(dir, d.File), Raw: d.Raw, Excerpt: d.Excerpt, Clean: d.Clean,
			Implements: d.Implements, Notes: d.Notes}
		var err error
		for _, x := range []struct {
			dst **time.Time
			src string
			key string
		}{{&doc.Date, d.Date, "date"}, {&doc.Published, d.Published, "published"}, {&doc.InForce, d.InForce, "in_force"}} {
			if *x.dst, err = parseDate(x.src); err != nil {
				l.diags = append(l.diags, f.diag(at+"."+x.key, CodeDates, Error, "%v", err))
			}
		}
		if d.PlanPeriod != nil {
			from, err1 := parseDate(d.PlanPeriod.From)
			to, err2 := parseDate(d.PlanPeriod.To)
			if err1 != nil || err2 != nil || to.Before(*from) {
				l.diags = append(l.diags, f.diag(at+".plan_period", CodeDates, Error, "plan_period must run from one date to a later one"))
			} else {
				doc.PlanPeriod = &Window{From: from, To: to}
			}
		}
		text, err := fs.ReadFile(l.fsys, doc.File)
		if err != nil {
			l.diags = append(l.diags, f.diag(at+".file", CodeDocument, Error, "document file: %v", err))
			continue
		}
		content := string(text)
		if d.Excerpt {
			content = StripComments(content)
		}
		doc.Text = sources.NewText(content)
		l.p.Documents = append(l.p.Documents, doc)
		l.p.docByID[doc.ID] = doc
	}
}

// StripComments removes the lines of an excerpt file that start with #.
func StripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

type benefitFile struct {
	f    *yamlFile
	spec benefitsSpec
}

func (l *loader) loadBenefits() *benefitFile {
	f := readYAML(l.fsys, "benefits.yaml", "catalog", &l.diags)
	if f == nil {
		return nil
	}
	bf := &benefitFile{f: f}
	if !f.decode(&bf.spec, &l.diags) {
		return nil
	}
	for i, b := range bf.spec.Benefits {
		if _, dup := l.p.benefitByCode[b.Code]; dup {
			l.diags = append(l.diags, f.diag(fmt.Sprintf("benefits[%d].code", i), CodeDuplicate, Error, "benefit code %q is used twice", b.Code))
			continue
		}
		ben := &Benefit{Code: b.Code, Name: Text{b.Zh, b.En}, Description: b.Description, Order: i, Payment: b.Payment, PaidAs: b.PaidAs}
		if b.Scope == "member" {
			ben.Scope = facts.Member
		}
		l.p.Benefits = append(l.p.Benefits, ben)
		l.p.benefitByCode[b.Code] = ben
	}
	return bf
}

// defaultConcerns is the concerns of member rules that give none: disabled members.
func (l *loader) defaultConcerns() *Expr {
	if l.memberDefault == nil {
		l.memberDefault = l.comp.compile("member.disabled", exprLoc{file: "benefits.yaml"}, facts.Member, wantBool, "default concerns", nil)
	}
	return l.memberDefault
}

func (l *loader) compileConcerns(bf *benefitFile) {
	if bf == nil {
		return
	}
	for i, b := range bf.spec.Benefits {
		ben := l.p.benefitByCode[b.Code]
		if ben == nil || ben.Scope != facts.Member {
			continue
		}
		src := b.Concerns
		loc := bf.f.loc(fmt.Sprintf("benefits[%d].concerns", i))
		if src == "" {
			ben.Concerns = l.defaultConcerns()
			continue
		}
		ben.Concerns = l.comp.compile(src, loc, facts.Member, wantBool, "concerns of "+b.Code, l.defScopes())
	}
	for i, b := range bf.spec.Benefits {
		if _, ok := l.p.benefitByCode[b.PaidAs]; b.PaidAs != "" && (!ok || b.PaidAs == b.Code) {
			l.diags = append(l.diags, bf.f.diag(fmt.Sprintf("benefits[%d].paid_as", i), CodeBenefit, Error, "paid_as names %q, not another benefit code", b.PaidAs))
		}
	}
	for i, x := range bf.spec.Exclusive {
		for j, code := range x.Benefits {
			if _, ok := l.p.benefitByCode[code]; !ok {
				l.diags = append(l.diags, bf.f.diag(fmt.Sprintf("exclusive[%d].benefits[%d]", i, j), CodeBenefit, Error, "unknown benefit code %q", code))
			}
		}
		l.p.Exclusives = append(l.p.Exclusives, &Exclusive{Benefits: x.Benefits, Reason: Text{x.Zh, x.En}, Rules: x.Rules})
	}
}

// loadJurisdictions reads jurisdictions.yaml and any <dir>/jurisdictions.yaml.
func (l *loader) loadJurisdictions() {
	if len(l.files.jurisdictions) == 0 {
		l.errorf(JurisdictionsFile, 0, CodeMissingFile, "the pack has no %s", JurisdictionsFile)
		return
	}
	for _, path := range l.files.jurisdictions {
		l.loadJurisdictionList(path)
	}
}

func (l *loader) loadJurisdictionList(path string) {
	f := readYAML(l.fsys, path, "catalog", &l.diags)
	if f == nil {
		return
	}
	var s jurisdictionsSpec
	if !f.decode(&s, &l.diags) {
		return
	}
	for i, j := range s.Jurisdictions {
		at := fmt.Sprintf("jurisdictions[%d]", i)
		if _, dup := l.p.jurByCode[j.Code]; dup {
			l.diags = append(l.diags, f.diag(at+".code", CodeDuplicate, Error, "jurisdiction %q is listed twice", j.Code))
			continue
		}
		for k, d := range j.Docs {
			doc, ok := l.p.docByID[d]
			if !ok {
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.documents[%d]", at, k), CodeDocument, Error, "unknown document %q", d))
			} else if doc.Jurisdiction != j.Code {
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.documents[%d]", at, k), CodeJurisdiction, Error, "document %q belongs to %s, not %s", d, doc.Jurisdiction, j.Code))
			}
		}
		jur := &Jurisdiction{Code: j.Code, Name: Text{j.Zh, j.En}, Province: j.Province, Documents: j.Docs}
		l.p.Jurisdictions = append(l.p.Jurisdictions, jur)
		l.p.jurByCode[j.Code] = jur
	}
}

func (l *loader) loadDecls() {
	f := readYAML(l.fsys, "parameters.yaml", "catalog", &l.diags)
	if f == nil {
		return
	}
	var s declsSpec
	if !f.decode(&s, &l.diags) {
		return
	}
	for i, p := range s.Parameters {
		if _, dup := l.p.paramByName[p.Name]; dup {
			l.diags = append(l.diags, f.diag(fmt.Sprintf("parameters[%d].name", i), CodeDuplicate, Error, "parameter %q is declared twice", p.Name))
			continue
		}
		d := &ParamDecl{Name: p.Name, Type: ParamType(p.Type), Text: Text{p.Zh, p.En}, Unit: p.Unit, Doc: p.Doc}
		l.p.Params = append(l.p.Params, d)
		l.p.paramByName[p.Name] = d
	}
	for i, d := range s.Definitions {
		if _, dup := l.p.defByName[d.Name]; dup {
			l.diags = append(l.diags, f.diag(fmt.Sprintf("definitions[%d].name", i), CodeDuplicate, Error, "definition %q is declared twice", d.Name))
			continue
		}
		dd := &DefDecl{Name: d.Name, Text: Text{d.Zh, d.En}, Doc: d.Doc}
		if d.Scope == "member" {
			dd.Scope = facts.Member
		}
		l.p.Defs = append(l.p.Defs, dd)
		l.p.defByName[d.Name] = dd
	}
}

func (l *loader) defScopes() map[string]facts.Scope {
	m := make(map[string]facts.Scope, len(l.p.Defs))
	for _, d := range l.p.Defs {
		m[d.Name] = d.Scope
	}
	return m
}

func (l *loader) knownJurisdiction(code string) bool {
	if code == "national" {
		return true
	}
	_, ok := l.p.jurByCode[code]
	return ok
}

// citation checks one citation: the document exists and belongs to the
// jurisdiction (or is national), the quote is in it, the provenance matches.
func (l *loader) citation(f *yamlFile, at string, c citationSpec, jur string) (Citation, bool) {
	doc, ok := l.p.docByID[c.Doc]
	if !ok {
		l.diags = append(l.diags, f.diag(at+".doc", CodeDocument, Error, "unknown document %q (see sources/sources.yaml)", c.Doc))
		return Citation{}, false
	}
	if doc.Jurisdiction != "national" && doc.Jurisdiction != jur {
		l.diags = append(l.diags, f.diag(at+".doc", CodeJurisdiction, Error, "document %q belongs to %s; a %s rule cannot rest on it", c.Doc, doc.Jurisdiction, jur))
		return Citation{}, false
	}
	if !doc.Text.Contains(c.Quote) {
		n := doc.Text.Nearest(c.Quote)
		q := []rune(sources.Squash(c.Quote))
		hint := "none of it matches"
		if n > 0 {
			hint = fmt.Sprintf("the first %d characters match; it departs at %q", n, string(q[n:min(len(q), n+8)]))
		}
		l.diags = append(l.diags, f.diag(at+".quote", CodeQuote, Error, "quote is not verbatim in %s (%s): %s", c.Doc, doc.File, hint))
		return Citation{}, false
	}
	prov := c.Provenance
	if prov == "" {
		prov = doc.Provenance
	} else if prov != doc.Provenance {
		l.diags = append(l.diags, f.diag(at+".provenance", CodeProvenance, Error, "provenance %q does not match document %q, which is %s", prov, c.Doc, doc.Provenance))
		return Citation{}, false
	}
	return Citation{Doc: c.Doc, Section: c.Section, Quote: strings.TrimSpace(c.Quote), Provenance: prov}, true
}

func (l *loader) loadValues() {
	l.defFile = map[*DefValue]*yamlFile{}
	l.defPath = map[*DefValue]string{}
	for _, path := range l.files.values {
		f := readYAML(l.fsys, path, "values", &l.diags)
		if f == nil {
			continue
		}
		var s valuesSpec
		if !f.decode(&s, &l.diags) {
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

func (l *loader) loadRules() {
	l.ruleFile = map[string]*yamlFile{}
	l.rulePath = map[string]string{}
	defScopes := l.defScopes()
	for _, path := range l.files.rules {
		f := readYAML(l.fsys, path, "rules", &l.diags)
		if f == nil {
			continue
		}
		var s rulesSpec
		if !f.decode(&s, &l.diags) {
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
		if doc.Date != nil && r.Effective.From != nil && r.Effective.From.Before(*doc.Date) {
			l.diags = append(l.diags, f.diag(at+".effective.from", WarnBeforeDocDate, Warning,
				"rule %s takes effect on %s, before its document %s is dated (%s)", r.ID, r.Effective.From.Format("2006-01-02"), doc.ID, doc.Date.Format("2006-01-02")))
		}
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

// hash digests every file of the pack except tests and raw sources, in path
// order, with each path.
func (l *loader) hash() string {
	h := sha256.New()
	for _, path := range l.files.all {
		b, err := fs.ReadFile(l.fsys, path)
		if err != nil {
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
