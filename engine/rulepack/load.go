package rulepack

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	pathpkg "path"
	"strings"
	"time"

	"cel.dev/cel-go/cel"

	"entitle/engine/facts"
	"entitle/engine/household"
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
	jurByName     map[string]*Jurisdiction // by jurisdictionKey of each name a record may use
	jurPrefixes   []jurName                // the Chinese names, which an address may continue (resolveContained)
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
		jurByCode: map[string]*Jurisdiction{}, jurByName: map[string]*Jurisdiction{}, paramByName: map[string]*ParamDecl{}, defByName: map[string]*DefDecl{},
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
	l.checkValueSpans()
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
	f, s := readSpec[packSpec](l, "pack.yaml", "catalog")
	if s == nil {
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
	f, s := readSpec[sourcesSpec](l, path, "catalog")
	if s == nil {
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
			Implements: d.Implements, Notes: d.Notes, EarliestYear: d.EarliestYear}
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
		if d.EarliestYear != 0 && (d.Date != "" || d.InForce != "") {
			// The schema bounds the year itself.
			l.diags = append(l.diags, f.diag(at+".earliest_year", CodeDates, Error, "earliest_year is for a document whose date is unknown; this one gives date or in_force"))
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

// benefitFile is benefits.yaml, read before the CEL environment exists and
// finished (compileConcerns) once it does.
type benefitFile struct {
	f    *yamlFile
	spec *benefitsSpec
}

func (l *loader) loadBenefits() *benefitFile {
	f, spec := readSpec[benefitsSpec](l, "benefits.yaml", "catalog")
	if spec == nil {
		return nil
	}
	bf := &benefitFile{f: f, spec: spec}
	for i, b := range bf.spec.Benefits {
		if _, dup := l.p.benefitByCode[b.Code]; dup {
			l.diags = append(l.diags, f.diag(fmt.Sprintf("benefits[%d].code", i), CodeDuplicate, Error, "benefit code %q is used twice", b.Code))
			continue
		}
		ben := &Benefit{Code: b.Code, Name: Text{b.Zh, b.En}, Description: b.Description, Order: i, Payment: b.Payment, PaidAs: b.PaidAs, SeparateClaimTo: b.SeparateClaimTo}
		if b.Scope == "member" {
			ben.Scope = facts.Member
		}
		l.p.Benefits = append(l.p.Benefits, ben)
		l.p.benefitByCode[b.Code] = ben
	}
	return bf
}

// linkedBenefit resolves a field of benefits[i] (by) that names another
// benefit (paid_as, separate_claim_to): nil when the field is empty or
// names no other benefit, which is reported.
func (l *loader) linkedBenefit(bf *benefitFile, i int, field, code string, by *Benefit) *Benefit {
	if code == "" {
		return nil
	}
	to, ok := l.p.benefitByCode[code]
	if !ok || to == by || by == nil {
		l.diags = append(l.diags, bf.f.diag(fmt.Sprintf("benefits[%d].%s", i, field), CodeBenefit, Error, "%s names %q, not another benefit code", field, code))
		return nil
	}
	return to
}

// DefaultConcernsLabel names the members a member benefit concerns when
// it gives no concerns of its own.
var DefaultConcernsLabel = Text{Zh: "残疾人", En: "disabled people"}

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
			ben.Concerns, ben.ConcernsLabel = l.defaultConcerns(), DefaultConcernsLabel
			continue
		}
		ben.Concerns, ben.ConcernsLabel = l.comp.compile(src, loc, facts.Member, wantBool, "concerns of "+b.Code, l.defScopes()), b.ConcernsLabel
	}
	for i, b := range bf.spec.Benefits {
		by := l.p.benefitByCode[b.Code]
		if to := l.linkedBenefit(bf, i, "paid_as", b.PaidAs, by); to != nil {
			to.ContinuedBy = append(to.ContinuedBy, by)
		}
		to := l.linkedBenefit(bf, i, "separate_claim_to", b.SeparateClaimTo, by)
		switch {
		case to == nil:
		case by.Scope != facts.Member || to.Scope == facts.Member:
			l.diags = append(l.diags, bf.f.diag(fmt.Sprintf("benefits[%d].separate_claim_to", i), CodeBenefit, Error,
				"separate_claim_to links a member benefit to a household one; %s is a %s benefit and %s a %s one", b.Code, by.Scope, to.Code, to.Scope))
		default:
			to.ClaimedSeparatelyBy = append(to.ClaimedSeparatelyBy, by)
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
	f, s := readSpec[jurisdictionsSpec](l, path, "catalog")
	if s == nil {
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
		for k, a := range j.Areas {
			if a.Code[:4] != j.Code[:4] || j.Code[4:] != "00" || a.Code[4:] == "00" {
				l.diags = append(l.diags, f.diag(fmt.Sprintf("%s.areas[%d].code", at, k), CodeJurisdiction, Error,
					"area %s is not a county-level area of prefecture %s (its code begins %s and does not end 00)", a.Code, j.Code, j.Code[:4]))
			}
		}
		jur := &Jurisdiction{Code: j.Code, Name: Text{j.Zh, j.En}, Province: j.Province, Parent: j.Parent, Level: j.Level, Aliases: j.Aliases, Areas: j.Areas, Documents: j.Docs}
		l.p.Jurisdictions = append(l.p.Jurisdictions, jur)
		l.p.jurByCode[j.Code] = jur
		for _, n := range jur.names() {
			key := jurisdictionKey(n.name)
			switch other, dup := l.p.jurByName[key]; {
			case household.IsJurisdictionCode(key):
				l.diags = append(l.diags, f.diag(at+"."+n.field, CodeSchema, Error, "a jurisdiction's name %q cannot be a six-digit code", n.name))
			case dup && other != jur:
				l.diags = append(l.diags, f.diag(at+"."+n.field, CodeDuplicate, Error, "name %q stands for both %s and %s; a record naming it would be ambiguous", n.name, other.Code, jur.Code))
			case !dup:
				l.p.jurByName[key] = jur
				if hasHan(n.name) {
					l.p.jurPrefixes = append(l.p.jurPrefixes, n)
				}
			}
		}
	}
}

func (l *loader) loadDecls() {
	f, s := readSpec[declsSpec](l, "parameters.yaml", "catalog")
	if s == nil {
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
