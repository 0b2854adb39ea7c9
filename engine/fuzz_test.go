package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// FuzzEvaluate: any record either fails with an input error or evaluates to
// a result that marshals, with exactly one determination per benefit and
// subject, and every benefit of the pack either determined or listed once
// as not determined. The evaluation's cross-checks are on: every compiled expression
// against its CEL program, Brief against the full evaluation and the JSON
// writer against encoding/json must agree on the record, and a selection of
// one benefit must give that benefit the determinations the whole pack
// gives it.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob("../testdata/households/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"id":"x","jurisdiction":"150700","residence":"rural","status":[],"members":[{"id":"a","disability":{"grade":1}}]}`))
	f.Add([]byte(`{"id":"y","jurisdiction":"141081","as_of":"2025-06-30","members":[{"id":"a","birth_date":"2004-01-01","employment":{"status":"无业"},"work_capacity":"full","disability":{"category":"mental","grade":2,"certificate_no":"C"}}]}`))
	// Living allowance in 2018 reads 低保, whose 侯马 rules start in 2021.
	f.Add([]byte(`{"id":"z","jurisdiction":"141081","residence":"urban","as_of":"2018-06-01","status":[],"property_test":"pass","members":[{"id":"a","birth_date":"1970-01-01","disability":{"category":"physical","grade":1,"certificate_valid":true},"care":{"needed":true,"months":60},"employment":{"status":"not_in_labour_force"},"income":{"wages":0,"business":0,"pension":100,"other":0},"tekun":false,"orphan_guarantee":false,"work_injury_care_allowance":false,"other_welfare_subsidy":false}]}`))
	f.Add([]byte(`{"jurisdiction":"210882","as_of":"2024-05-01","members":[{"age":57,"disability":"肢体二级","insurance":{"resident_pension":true}},{"age":0,"disability":"二级智力残疾"}]}`))
	eng := testengine.Engine(f)
	engine.SetVerifyCompiled(true)
	engine.SetVerifyBrief(true)
	engine.SetVerifyJSON(true)
	f.Cleanup(func() {
		engine.SetVerifyCompiled(false)
		engine.SetVerifyBrief(false)
		engine.SetVerifyJSON(false)
	})
	benefits := eng.Pack().Benefits
	f.Fuzz(func(t *testing.T, data []byte) {
		compiled, brief, encoded := len(engine.CompiledMismatches()), len(engine.BriefMismatches()), len(engine.JSONMismatches())
		res, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{}, engine.Explain())
		if err != nil {
			if !engine.IsInputError(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		lean, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{}, engine.Lean())
		if err != nil {
			t.Fatalf("evaluates with Explain but not Lean: %v", err)
		}
		if got := engine.CompiledMismatches(); len(got) > compiled {
			t.Fatalf("compiled expressions differ from CEL: %v", firstOf(got[compiled:]))
		}
		if got := engine.BriefMismatches(); len(got) > brief {
			t.Fatalf("Brief differs from the full evaluation: %v", firstOf(got[brief:]))
		}
		if got := engine.JSONMismatches(); len(got) > encoded {
			t.Fatalf("AppendJSON differs from encoding/json: %v", firstOf(got[encoded:]))
		}
		code := benefits[len(data)%len(benefits)].Code
		sel, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{}, engine.Lean(), engine.Benefits(code))
		if err != nil {
			t.Fatalf("evaluates in full but not for %s alone: %v", code, err)
		}
		want := []engine.Determination{}
		for _, d := range lean.Determinations {
			if d.Benefit == code {
				want = append(want, d)
			}
		}
		if !reflect.DeepEqual(want, sel.Determinations) {
			t.Fatalf("%s alone: %+v, in the whole pack: %+v", code, sel.Determinations, want)
		}
		var wantNot []engine.NotDetermined
		for _, n := range lean.NotDetermined {
			if n.Benefit == code {
				wantNot = append(wantNot, n)
			}
		}
		if !reflect.DeepEqual(wantNot, slices.Clip(sel.NotDetermined)) && len(wantNot)+len(sel.NotDetermined) > 0 {
			t.Fatalf("%s alone is not determined as %+v, in the whole pack as %+v", code, sel.NotDetermined, wantNot)
		}
		seen := map[string]bool{}
		for _, d := range res.Determinations {
			k := d.Benefit + "/" + d.Subject
			if seen[k] {
				t.Fatalf("two determinations for %s", k)
			}
			seen[k] = true
			switch d.Status {
			case engine.Eligible, engine.Ineligible, engine.Undetermined:
			default:
				t.Fatalf("status %q", d.Status)
			}
			if d.Status == engine.Undetermined && len(d.Missing) == 0 {
				t.Fatalf("%s is undetermined with nothing to ask: %+v", k, d.Caveats)
			}
			for _, m := range d.Missing {
				// Lint's R104 promises a value for every day a rule is in
				// force: the caseworker is never asked for the pack's.
				if strings.HasPrefix(m.Field, "parameter:") || strings.HasPrefix(m.Field, "definition:") {
					t.Fatalf("%s asks for the pack's value %s", k, m.Field)
				}
			}
		}
		for _, n := range res.NotDetermined {
			for _, d := range res.Determinations {
				if d.Benefit == n.Benefit {
					t.Fatalf("%s is determined for %s and listed as not determined (%s)", n.Benefit, d.Subject, n.Why)
				}
			}
		}
		// The checklist asks each missing fact once, with exactly the
		// benefits whose determinations list it.
		waiting := waitingOn(res)
		if res.Checklist == nil || lean.Checklist != nil {
			t.Fatalf("checklist %v in full, %v in lean", res.Checklist, lean.Checklist)
		}
		asked := map[string][]string{}
		for _, q := range res.Checklist {
			if _, twice := asked[q.Field]; twice {
				t.Fatalf("%s asked twice", q.Field)
			}
			asked[q.Field] = q.Benefits
		}
		if !reflect.DeepEqual(waiting, asked) {
			t.Fatalf("checklist %v, determinations wait on %v", asked, waiting)
		}
		accounted := map[string]bool{}
		for _, d := range res.Determinations {
			accounted[d.Benefit] = true
		}
		for _, n := range res.NotDetermined {
			accounted[n.Benefit] = true
		}
		if len(accounted) != len(benefits) {
			t.Fatalf("%d of the pack's %d benefits accounted for", len(accounted), len(benefits))
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
	})
}

// firstOf keeps a failure's message short: the first differences found.
func firstOf(diffs []string) []string { return diffs[:min(len(diffs), 3)] }
