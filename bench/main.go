// Command bench compares the CEL engine with the same rules hand-written in
// plain Go and written in Rego for Open Policy Agent, on the same
// households in the same run: the national base layer for benefit codes
// 1-7, over the same derived facts. It checks the three agree on every
// determination, then prints microseconds per household (one goroutine).
//
//	cd bench && go run .            # 2,000 households, 5 rounds
//	cd bench && go run . -n 10000 -rounds 3
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing/fstest"
	"time"

	"cel.dev/cel-go/common/types"
	"github.com/open-policy-agent/opa/v1/rego"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/facts"
	"entitle/engine/household"
	"entitle/engine/rulepack"
	"entitle/rules"
)

//go:embed national.rego
var policy string

var asOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// codes are benefit codes 1-7.
var codes = []string{"dibao", "dibao_single_person", "dibao_raise", "dibao_phase_out", "employment_cost_deduction", "living_allowance", "care_subsidy"}

func main() {
	n := flag.Int("n", 2000, "households")
	rounds := flag.Int("rounds", 5, "timed rounds over the households")
	flag.Parse()
	if err := run(*n, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// nationalPack is the shipped pack without the local rules: the national
// base layer only, which the Go and Rego versions implement.
func nationalPack() (fs.FS, error) {
	m := fstest.MapFS{}
	err := fs.WalkDir(rules.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		local := strings.HasSuffix(p, ".rules.yaml") && !strings.HasPrefix(p, "national/")
		if local || strings.HasSuffix(p, "coverage.yaml") {
			return nil
		}
		b, err := fs.ReadFile(rules.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	return m, err
}

type setup struct {
	full, national *engine.Engine
	households     []*household.Household
	ix             factIndex
	query          rego.PreparedEvalQuery
}

func prepare(n int) (*setup, error) {
	s := &setup{ix: newFactIndex()}
	var err error
	if s.full, err = engine.LoadEmbedded(); err != nil {
		return nil, err
	}
	fsys, err := nationalPack()
	if err != nil {
		return nil, err
	}
	if s.national, err = engine.Load(fsys); err != nil {
		return nil, err
	}
	none := map[audit.Class]int{}
	_, err = rollgen.Generate(s.full, rollgen.Config{Households: n, Seed: 42, AsOf: asOf, Plant: none}, func(e *audit.Entry) error {
		s.households = append(s.households, e.Household)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.query, err = rego.New(rego.Query("data.entitle.result"), rego.Module("national.rego", policy)).PrepareForEval(context.Background())
	return s, err
}

// celStatuses evaluates with the engine.
func celStatuses(eng *engine.Engine, h *household.Household, opts []engine.EvalOption) (map[string]string, error) {
	res, err := eng.Evaluate(context.Background(), h, opts...)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range res.Determinations {
		out[d.Benefit+"/"+d.Subject] = string(d.Status)
	}
	return out, nil
}

// regoInput lays the derived facts out as Rego input.
func (s *setup) regoInput(p *rulepack.Pack, h *household.Household, sub *facts.Subject) map[string]any {
	native := func(t facts.Table, scope facts.Scope) map[string]any {
		m := map[string]any{}
		for _, f := range facts.All() {
			if f.Scope != scope {
				continue
			}
			v := t[f.Index()]
			if !v.Known() {
				continue
			}
			switch x := v.V.(type) {
			case types.Int:
				m[f.Name] = int64(x)
			case types.Bool:
				m[f.Name] = bool(x)
			case types.String:
				m[f.Name] = string(x)
			case types.Double:
				m[f.Name] = float64(x)
			}
		}
		return m
	}
	members := make([]any, len(h.Members))
	for i, m := range h.Members {
		mm := native(sub.Members[i], facts.Member)
		mm["id"] = m.ID
		members[i] = mm
	}
	ps := rulepack.ParamSource{Pack: p, Jurisdiction: h.Jurisdiction}
	adult, _ := ps.Int("adult_age", asOf)
	months, _ := ps.Int("phase_out_months", asOf)
	return map[string]any{"household": native(sub.Household, facts.Household), "members": members,
		"params": map[string]any{"adult_age": adult, "phase_out_months": months}}
}

func (s *setup) regoStatuses(h *household.Household, scratch *facts.Subject) (map[string]string, *facts.Subject, error) {
	p := s.national.Pack()
	sub := facts.ComputeInto(scratch, h, asOf, rulepack.ParamSource{Pack: p, Jurisdiction: h.Jurisdiction})
	rs, err := s.query.Eval(context.Background(), rego.EvalInput(s.regoInput(p, h, sub)))
	if err != nil {
		return nil, sub, err
	}
	out := map[string]string{}
	if len(rs) == 1 && len(rs[0].Expressions) == 1 {
		if m, ok := rs[0].Expressions[0].Value.(map[string]any); ok {
			for k, v := range m {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	return out, sub, nil
}

func same(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func run(n, rounds int) error {
	s, err := prepare(n)
	if err != nil {
		return err
	}
	p := s.national.Pack()
	opts := []engine.EvalOption{engine.AsOf(asOf), engine.Lean(), engine.Benefits(codes...)}
	// Brief is what the other two give: statuses (and amounts and periods).
	brief := []engine.EvalOption{engine.AsOf(asOf), engine.Brief(), engine.Benefits(codes...)}

	// Agreement first: the comparison is only fair if all three decide alike.
	agreeGo, agreeRego, compared := 0, 0, 0
	var scratch *facts.Subject
	for _, h := range s.households {
		want, err := celStatuses(s.national, h, opts)
		if err != nil {
			continue // not comparable: the record is invalid
		}
		compared++
		if b, _ := celStatuses(s.national, h, brief); !same(want, b) {
			return fmt.Errorf("%s: the brief evaluation gives %v, the lean one %v", h.ID, b, want)
		}
		var got map[string]string
		got, scratch = nationalGo(s.ix, p, h, asOf, scratch)
		if same(want, got) {
			agreeGo++
		}
		r, sub, err := s.regoStatuses(h, scratch)
		scratch = sub
		if err != nil {
			return err
		}
		if same(want, r) {
			agreeRego++
		}
	}

	timeIt := func(f func(h *household.Household)) time.Duration {
		start := time.Now()
		for r := 0; r < rounds; r++ {
			for _, h := range s.households {
				f(h)
			}
		}
		return time.Since(start) / time.Duration(rounds*len(s.households))
	}
	goTime := timeIt(func(h *household.Household) { _, scratch = nationalGo(s.ix, p, h, asOf, scratch) })
	celLean := timeIt(func(h *household.Household) { s.national.Evaluate(context.Background(), h, opts...) })
	celNational := timeIt(func(h *household.Household) { s.national.Evaluate(context.Background(), h, brief...) })
	celFull := timeIt(func(h *household.Household) { s.full.Evaluate(context.Background(), h, brief...) })
	regoTime := timeIt(func(h *household.Household) { _, scratch, _ = s.regoStatuses(h, scratch) })

	fmt.Printf("%d households (rollgen seed 42), as of %s, %d rounds, one goroutine; national rules for benefit codes 1-7\n", len(s.households), asOf.Format("2006-01-02"), rounds)
	fmt.Printf("agreement with the CEL engine: plain Go %d/%d, Rego %d/%d households\n\n", agreeGo, compared, agreeRego, compared)
	fmt.Println("| implementation | µs per household | households/s (1 core) | vs plain Go |")
	fmt.Println("|---|---:|---:|---:|")
	row := func(name string, d time.Duration) {
		fmt.Printf("| %s | %.1f | %.0f | %.1f× |\n", name, float64(d.Nanoseconds())/1000, float64(time.Second)/float64(d), float64(d)/float64(goTime))
	}
	row("plain Go (facts + hand-written rules)", goTime)
	row("CEL engine, national rules (brief result: statuses, amounts, periods)", celNational)
	row("CEL engine, full pack, codes 1-7 (brief result)", celFull)
	row("CEL engine, national rules (lean result: with rule ids, reasons, missing facts)", celLean)
	row("OPA Rego (facts + policy)", regoTime)
	return nil
}
