// Package packtest runs a rule pack's test cases (*.test.yaml): households
// with an evaluation date and the determinations they must get. It also
// records coverage: rules no case reached, and conditions never seen true
// or false.
package packtest

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/docpos"
	"entitle/engine/rulepack"
)

// Expectation is one determination a case must get.
type Expectation struct {
	Benefit   string   `yaml:"benefit"`
	Subject   string   `yaml:"subject"`
	Status    string   `yaml:"status"`
	Modality  string   `yaml:"modality"`
	Rules     []string `yaml:"rules"`
	Amount    any      `yaml:"amount"`
	PeriodEnd string   `yaml:"period_end"`
	Failed    []string `yaml:"failed"`
	Missing   []string `yaml:"missing"`
	Caveats   []string `yaml:"caveats"`
	NoCaveats []string `yaml:"no_caveats"`
}

type caseSpec struct {
	Name          string        `yaml:"name"`
	AsOf          string        `yaml:"as_of"`
	HouseholdFile string        `yaml:"household_file"`
	HouseholdRef  string        `yaml:"household_ref"`
	Unset         []string      `yaml:"unset"`
	Expect        []Expectation `yaml:"expect"`
}

// Result is the outcome of one case.
type Result struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Name     string   `json:"name"`
	Failures []string `json:"failures,omitempty"`
}

// Passed reports whether every expectation held.
func (r Result) Passed() bool { return len(r.Failures) == 0 }

// Report is the outcome of a test run.
type Report struct {
	Results  []Result
	Coverage engine.CoverageReport
	// Diagnostics are problems with the test files themselves.
	Diagnostics rulepack.Diagnostics
	// Skipped counts the cases left out by Match.
	Skipped int
}

// Option changes how Run runs the cases.
type Option func(*config)

type config struct {
	match *regexp.Regexp
}

// Match runs only the cases whose file and name, written FILE:NAME
// ("371581/dibao.test.yaml:边缘家庭的重度残疾人单独申请"), re matches; the
// others are counted in Report.Skipped. Coverage is then that of the cases
// run. The test files are still all read and checked.
func Match(re *regexp.Regexp) Option { return func(c *config) { c.match = re } }

// CaseKey is what Match matches a case by: its file and name, FILE:NAME.
func CaseKey(file, name string) string { return file + ":" + name }

// Failed counts the failed cases.
func (r *Report) Failed() int {
	n := 0
	for _, c := range r.Results {
		if !c.Passed() {
			n++
		}
	}
	return n
}

// Run evaluates every case of the given test files (paths in fsys) and checks
// its expectations.
func Run(eng *engine.Engine, fsys fs.FS, files []string, opts ...Option) *Report {
	var c config
	for _, o := range opts {
		o(&c)
	}
	rep := &Report{}
	cov := engine.NewCoverage()
	for _, file := range files {
		rep.Results = append(rep.Results, runFile(eng, fsys, file, cov, c, rep)...)
	}
	rep.Coverage = cov.Report(eng.Pack())
	return rep
}

func runFile(eng *engine.Engine, fsys fs.FS, file string, cov *engine.Coverage, c config, rep *Report) []Result {
	diags := &rep.Diagnostics
	root, ds := checkFile(fsys, file)
	if root == nil {
		*diags = append(*diags, ds...)
		return nil
	}
	doc := root.Content[0]
	casesNode := mapValue(doc, "cases")
	bases := mapValue(doc, "households")
	var out []Result
	for i, cn := range casesNode.Content {
		var cs caseSpec
		if err := cn.Decode(&cs); err != nil {
			*diags = append(*diags, rulepack.Diagnostic{File: file, Line: cn.Line, Code: rulepack.CodeTest, Severity: rulepack.Error, Msg: err.Error()})
			continue
		}
		res := Result{File: file, Line: cn.Line, Name: cs.Name}
		if res.Name == "" {
			res.Name = fmt.Sprintf("case %d", i+1)
		}
		if c.match != nil && !c.match.MatchString(CaseKey(file, res.Name)) {
			rep.Skipped++
			continue
		}
		res.Failures = runCase(eng, fsys, file, cn, cs, bases, cov)
		out = append(out, res)
	}
	return out
}

// checkFile parses a test file and validates it against tests.schema.json,
// as the loader does the pack's files; its problems are all R019.
func checkFile(fsys fs.FS, file string) (*yaml.Node, rulepack.Diagnostics) {
	root, diags := rulepack.CheckYAML(fsys, file, "tests")
	for i := range diags {
		diags[i].Code = rulepack.CodeTest
	}
	return root, diags
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func runCase(eng *engine.Engine, fsys fs.FS, file string, cn *yaml.Node, cs caseSpec, bases *yaml.Node, cov *engine.Coverage) []string {
	asOf, err := time.Parse("2006-01-02", cs.AsOf)
	if err != nil {
		return []string{fmt.Sprintf("as_of %q is not a date", cs.AsOf)}
	}
	var h *household.Household
	var pos *household.Positions
	switch hn := mapValue(cn, "household"); {
	case hn != nil:
		h, pos, err = household.DecodeNode(hn, household.DecodeOptions{File: file})
	case cs.HouseholdRef != "":
		base := mapValue(bases, cs.HouseholdRef)
		if base == nil {
			return []string{fmt.Sprintf("household_ref %q: no such household under households:", cs.HouseholdRef)}
		}
		v, at, cerr := docpos.FromYAML(base)
		if cerr != nil {
			return []string{"household: " + cerr.Error()}
		}
		if sets := mapValue(cn, "set"); sets != nil {
			for i := 0; i+1 < len(sets.Content); i += 2 {
				val, _, cerr := docpos.FromYAML(sets.Content[i+1])
				if cerr != nil {
					return []string{"set: " + cerr.Error()}
				}
				if v, cerr = setPath(v, sets.Content[i].Value, val, false); cerr != nil {
					return []string{fmt.Sprintf("set %s: %v", sets.Content[i].Value, cerr)}
				}
			}
		}
		for _, p := range cs.Unset {
			if v, err = setPath(v, p, nil, true); err != nil {
				return []string{fmt.Sprintf("unset %s: %v", p, err)}
			}
		}
		h, pos, err = household.DecodeGeneric(v, at, household.DecodeOptions{File: file})
	default:
		hf := path.Join(path.Dir(file), cs.HouseholdFile)
		data, rerr := fs.ReadFile(fsys, hf)
		if rerr != nil {
			return []string{fmt.Sprintf("household_file: %v", rerr)}
		}
		h, pos, err = household.Decode(data, household.DecodeOptions{File: hf})
	}
	if err != nil {
		return []string{"household: " + err.Error()}
	}
	opts := []engine.EvalOption{engine.AsOf(asOf), engine.Record(cov)}
	if errs, _ := eng.Validate(h, opts...); len(errs) > 0 {
		return []string{"household: " + pos.Place(errs).Error()}
	}
	res, err := eng.Evaluate(context.Background(), h, opts...)
	if err != nil {
		return []string{"evaluate: " + err.Error()}
	}
	var failures []string
	for _, x := range cs.Expect {
		failures = append(failures, check(eng, res, x)...)
	}
	return failures
}

func check(eng *engine.Engine, res *engine.Result, x Expectation) []string {
	b, ok := eng.Pack().Benefit(x.Benefit)
	if !ok {
		return []string{fmt.Sprintf("unknown benefit %q", x.Benefit)}
	}
	subject := x.Subject
	if subject == "" {
		subject = "household"
		if b.Scope.String() == "member" {
			return []string{fmt.Sprintf("%s: a member benefit needs a subject (member id)", x.Benefit)}
		}
	}
	where := x.Benefit + "/" + subject
	d, found := res.Determination(x.Benefit, subject)
	if x.Status == "absent" {
		if found {
			return []string{fmt.Sprintf("%s: want no determination, got %s", where, d.Status)}
		}
		return nil
	}
	if !found {
		return []string{fmt.Sprintf("%s: want %s, got no determination", where, x.Status)}
	}
	var f []string
	failf := func(format string, args ...any) { f = append(f, where+": "+fmt.Sprintf(format, args...)) }
	if string(d.Status) != x.Status {
		detail := ""
		switch d.Status {
		case engine.Ineligible:
			var rs []string
			for _, r := range d.Reasons {
				rs = append(rs, r.Rule+"/"+r.Condition)
			}
			detail = " (failed: " + strings.Join(rs, ", ") + ")"
		case engine.Undetermined:
			var ms []string
			for _, m := range d.Missing {
				ms = append(ms, m.Field)
			}
			detail = " (missing: " + strings.Join(ms, ", ") + ")"
		}
		failf("want status %s, got %s%s", x.Status, d.Status, detail)
	}
	if x.Modality != "" && string(d.Modality) != x.Modality {
		failf("want modality %s, got %q", x.Modality, d.Modality)
	}
	for _, r := range x.Rules {
		if !slices.Contains(d.Rules, r) {
			failf("want rule %s among %v", r, d.Rules)
		}
	}
	if x.Amount != nil {
		want := fmt.Sprint(x.Amount)
		switch {
		case d.Amount == nil:
			failf("want amount %s, got none", want)
		default:
			if !sameYuan(want, d.Amount.Yuan) {
				failf("want amount %s, got %s", want, d.Amount.Yuan)
			}
		}
	}
	if x.PeriodEnd != "" {
		if d.Period == nil {
			failf("want period ending %s, got none", x.PeriodEnd)
		} else if d.Period.To != x.PeriodEnd {
			failf("want period ending %s, got %s", x.PeriodEnd, d.Period.To)
		}
	}
	for _, c := range x.Failed {
		hit := false
		for _, r := range d.Reasons {
			if c == r.Condition || c == r.Rule+"."+r.Condition || c == r.Rule+"/"+r.Condition {
				hit = true
			}
		}
		if !hit {
			var rs []string
			for _, r := range d.Reasons {
				rs = append(rs, r.Rule+"/"+r.Condition)
			}
			failf("want failed condition %s among %v", c, rs)
		}
	}
	for _, m := range x.Missing {
		hit := false
		for _, dm := range d.Missing {
			if dm.Field == m {
				hit = true
			}
		}
		if !hit {
			var ms []string
			for _, dm := range d.Missing {
				ms = append(ms, dm.Field)
			}
			failf("want missing %s among %v", m, ms)
		}
	}
	codes := map[string]bool{}
	for _, c := range d.Caveats {
		codes[c.Code] = true
	}
	for _, c := range slices.Concat(x.Caveats, x.NoCaveats) {
		// A misspelt code, or a rule that adds no caveat, would make
		// no_caveats pass whatever the result.
		r, ok := eng.Pack().Rule(c)
		if !(ok && r.Effect == rulepack.Caveat) && !slices.Contains(engine.CaveatCodes, c) {
			failf("unknown caveat code %q: neither one of engine.CaveatCodes nor a caveat rule's id", c)
		}
	}
	for _, c := range x.Caveats {
		if !codes[c] {
			failf("want caveat %s", c)
		}
	}
	for _, c := range x.NoCaveats {
		if codes[c] {
			failf("want no caveat %s", c)
		}
	}
	return f
}

func sameYuan(a, b string) bool {
	pa, err1 := parseYuan(a)
	pb, err2 := parseYuan(b)
	return err1 == nil && err2 == nil && pa == pb
}

func parseYuan(s string) (int64, error) {
	var whole, frac int64
	parts := strings.SplitN(strings.TrimSpace(s), ".", 2)
	if _, err := fmt.Sscan(parts[0], &whole); err != nil {
		return 0, err
	}
	if len(parts) == 2 {
		f := (parts[1] + "00")[:2]
		if _, err := fmt.Sscan(f, &frac); err != nil {
			return 0, err
		}
	}
	return whole*100 + frac, nil
}

// Files lists the *.test.yaml files under a directory of fsys, sorted.
func Files(fsys fs.FS, dir string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".test.yaml") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// setPath returns a copy of v with the value at path (a.b[2].c) replaced, or
// removed when remove is set. Missing objects on the way are created.
func setPath(v any, path string, val any, remove bool) (any, error) {
	toks := docpos.Split(path)
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return setIn(v, toks, val, remove)
}

func setIn(v any, toks []docpos.Token, val any, remove bool) (any, error) {
	t := toks[0]
	last := len(toks) == 1
	if t.Index >= 0 {
		s, ok := v.([]any)
		if !ok || t.Index >= len(s) {
			return nil, fmt.Errorf("no element %d", t.Index)
		}
		c := append([]any{}, s...)
		if last {
			if remove {
				return append(c[:t.Index], c[t.Index+1:]...), nil
			}
			c[t.Index] = val
			return c, nil
		}
		nv, err := setIn(c[t.Index], toks[1:], val, remove)
		c[t.Index] = nv
		return c, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		if v != nil {
			return nil, fmt.Errorf("%q is not inside an object", t.Key)
		}
		m = map[string]any{}
	}
	c := make(map[string]any, len(m)+1)
	for k, x := range m {
		c[k] = x
	}
	if last {
		if remove {
			delete(c, t.Key)
		} else {
			c[t.Key] = val
		}
		return c, nil
	}
	nv, err := setIn(c[t.Key], toks[1:], val, remove)
	c[t.Key] = nv
	return c, err
}

// Check validates test files against tests.schema.json without running them.
func Check(fsys fs.FS, files []string) rulepack.Diagnostics {
	var out rulepack.Diagnostics
	for _, file := range files {
		_, diags := checkFile(fsys, file)
		out = append(out, diags...)
	}
	return out
}
