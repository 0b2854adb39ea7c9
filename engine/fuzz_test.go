package engine_test

import (
	"context"
	"encoding/json"
	"entitle/engine/internal/testengine"
	"os"
	"path/filepath"
	"testing"

	"entitle/engine"
	"entitle/engine/household"
)

// FuzzEvaluate: any record either fails with an input error or evaluates to
// a result that marshals, with exactly one determination per benefit and
// subject.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob("../testdata/households/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"id":"x","jurisdiction":"150700","residence":"rural","status":[],"members":[{"id":"a","disability":{"grade":1}}]}`))
	eng := testengine.Engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{}, engine.Explain())
		if err != nil {
			if !engine.IsInputError(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
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
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
	})
}
