package rulepack_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/docpos"
	"entitle/engine/rulepack"
)

// fuzzFiles are the files FuzzLoad writes into the embedded pack: a rules
// file added beside 侯马's, and 侯马's values, coverage and indicators
// replaced.
var fuzzFiles = []string{"141081/x.rules.yaml", "141081/values.yaml", "141081/coverage.yaml", "141081/indicators.yaml"}

// FuzzLoad: whatever a pack file holds, Load either refuses the pack with
// errors that each name a file, carry a stable code and a message, and point
// at a line the file has, or loads a pack that evaluates a household. It
// never panics.
func FuzzLoad(f *testing.F) {
	f.Add(uint8(0), []byte(ruleHead+"    conditions:\n      - {id: size, zh: 人口, en: size, expr: household.size > 0}\n"))
	f.Add(uint8(0), []byte(ruleHead+"    scope: member\n    conditions:\n      - {id: grade, zh: 等级, en: grade, expr: member.grade <= 2}\n"+
		"    amount:\n      expr: household.dibao_standard\n      rounding: none\n"))
	f.Add(uint8(0), []byte(ruleHead+"    extends: 141081.dibao.include\n    effective: {from: 2022-01-01, to: 2025-12-31}\n"))
	f.Add(uint8(0), []byte(ruleHead+"    conditions:\n      - id: bad\n        zh: 错\n        en: wrong\n        expr: |\n          household.size > 0 &&\n            member.grde <= 2\n"))
	f.Add(uint8(0), []byte("rules:\n  - id: [\n"))
	f.Add(uint8(0), []byte("rules: {}\n"))
	f.Add(uint8(0), []byte("\xef\xbb\xbf\t\x00"))
	for i, name := range fuzzFiles[1:] {
		if b, err := os.ReadFile("../../rules/" + name); err == nil {
			f.Add(uint8(i+1), b)
		}
	}
	f.Add(uint8(1), []byte("jurisdiction: \"141081\"\nparameters:\n  phase_out_months:\n    - {value: six, provenance: example}\n"))
	f.Add(uint8(1), []byte("jurisdiction: \"141081\"\nparameters:\n  dibao_standard_urban:\n"+
		"    - {from: 2021-01-01, to: 2024-12-31, value: \"700.00\", provenance: example}\n    - {from: 2024-06-01, value: \"720.00\", provenance: example}\n"))
	rec, err := os.ReadFile("../../testdata/households/houma-phase-out.yaml")
	if err != nil {
		f.Fatal(err)
	}
	h, _, err := household.Decode(rec, household.DecodeOptions{})
	if err != nil {
		f.Fatal(err)
	}
	base := packWith(f, nil).(fstest.MapFS)
	known := map[rulepack.Code]bool{}
	for _, c := range rulepack.Codes {
		known[c.Code] = true
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		name := fuzzFiles[int(which)%len(fuzzFiles)]
		fsys := make(fstest.MapFS, len(base)+1)
		for k, v := range base {
			fsys[k] = v
		}
		fsys[name] = &fstest.MapFile{Data: data}
		lines := len(docpos.Lines(data))
		p, diags := rulepack.Load(fsys)
		for _, d := range diags {
			if d.File == "" || d.Msg == "" || !known[d.Code] {
				t.Fatalf("a diagnostic without a file, message or known code: %#v", d)
			}
			if strings.Contains(d.Msg, "%!") {
				t.Fatalf("a garbled message: %s", d)
			}
			if d.File == name && d.Line > lines {
				t.Fatalf("line %d of a %d-line file: %s", d.Line, lines, d)
			}
		}
		if p == nil {
			if len(diags.Errors()) == 0 {
				t.Fatal("the pack was refused without an error")
			}
			return
		}
		if _, err := engine.New(p).Evaluate(context.Background(), h); err != nil && !engine.IsInputError(err) {
			t.Fatalf("the loaded pack does not evaluate 侯马's example: %v", err)
		}
	})
}
