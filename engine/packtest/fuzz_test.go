package packtest_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"entitle/engine/internal/docpos"
	"entitle/engine/internal/testengine"
	"entitle/engine/packtest"
	"entitle/engine/rulepack"
)

// FuzzRun: whatever a test file holds, Run reports it: its cases as
// results, each with its file, line and name, and its problems as
// diagnostics, each with its file, code R019, a message, and a line the
// file has. It never panics.
func FuzzRun(f *testing.F) {
	f.Add([]byte(`
households:
  h:
    id: H
    jurisdiction: "141081"
    residence: urban
    members:
      - {id: M1, relation: head, birth_date: 1970-01-01, disability: {category: physical, grade: 1}}
cases:
  - name: 一级肢体
    as_of: 2025-06-30
    household_ref: h
    unset: ["members[0].disability.grade"]
    expect:
      - {benefit: care_subsidy, subject: M1, status: undetermined, missing: ['members[0].care.needed']}
      - {benefit: dibao, subject: household, status: eligible, modality: shall, amount: "700.00", caveats: [example_values]}
`))
	f.Add([]byte("cases:\n  - name: x\n    as_of: 2025-01-01\n    expect: []\n"))
	f.Add([]byte("cases:\n  - name: x\n    as_of: 2025-13-01\n    household_file: ../../x.yaml\n    expect: [{benefit: dibao}]\n"))
	f.Add([]byte("households: {h: [1]}\ncases:\n  - {name: y, as_of: 2025-01-01, household_ref: nope, expect: [{benefit: dibao, subject: M9, status: eligible, period_end: x}]}\n"))
	f.Add([]byte("cases: [{name: z, as_of: 2025-01-01, household_ref: h, unset: ['members.-1', 'a..b', 'members.99.x'], expect: [{benefit: dibao, status: eligible}]}]\nhouseholds: {h: {id: H, members: []}}\n"))
	f.Add([]byte("cases: [{name: w, as_of: 2025-01-01, household_ref: h, expect: [{benefit: dibao, subject: household, status: eligible, amount: {x: 1}, rules: [a.b]}]}]\nhouseholds: {h: {id: H, jurisdiction: '150700', members: [{id: M1}]}}\n"))
	eng := testengine.Engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "141081/fuzz.test.yaml"
		fsys := fstest.MapFS{name: {Data: data}}
		rep := packtest.Run(eng, fsys, []string{name})
		lines := len(docpos.Lines(data))
		for _, d := range rep.Diagnostics {
			if d.File != name || d.Code != rulepack.CodeTest || d.Msg == "" || d.Line > lines {
				t.Fatalf("a diagnostic without its file, code, message or line: %#v (%d lines)", d, lines)
			}
		}
		for _, r := range rep.Results {
			if r.File != name || r.Line < 1 || r.Line > lines {
				t.Fatalf("a result without its file or line: %#v (%d lines)", r, lines)
			}
			for _, msg := range r.Failures {
				if msg == "" || strings.Contains(msg, "%!") {
					t.Fatalf("a garbled failure: %q", msg)
				}
			}
		}
	})
}
