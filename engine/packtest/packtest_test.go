package packtest_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/packtest"
	"entitle/rules"
)

// TestEmbeddedPack runs every *.test.yaml of the shipped pack, as
// `entitle test rules/` does, and requires every rule exercised and every
// condition seen both true and false.
func TestEmbeddedPack(t *testing.T) {
	eng, err := engine.LoadEmbedded()
	require.NoError(t, err)
	files, err := packtest.Files(rules.FS, ".")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	rep := packtest.Run(eng, rules.FS, files)
	require.Empty(t, rep.Diagnostics)
	for _, r := range rep.Results {
		assert.True(t, r.Passed(), "%s:%d %s\n  %s", r.File, r.Line, r.Name, strings.Join(r.Failures, "\n  "))
	}
	c := rep.Coverage
	assert.Empty(t, c.NeverEvaluated, "rules no case reaches")
	assert.Empty(t, c.NeverTrue, "rules no case makes hold")
	assert.Empty(t, c.NeverFalse, "rules no case makes fail")
	assert.Empty(t, c.ConditionsNeverTrue, "conditions never seen true")
	assert.Empty(t, c.ConditionsNeverFalse, "conditions never seen false")
	assert.Equal(t, c.Rules, c.RulesExercised)
}

// TestRulesDirectoryMatchesEmbedded: the tests also pass when the pack is
// read from the rules/ directory, as `entitle test rules/` reads it.
func TestRulesDirectoryMatchesEmbedded(t *testing.T) {
	eng, err := engine.LoadDir("../../rules")
	require.NoError(t, err)
	fsys := os.DirFS("../../rules")
	files, err := packtest.Files(fsys, ".")
	require.NoError(t, err)
	rep := packtest.Run(eng, fsys, files)
	assert.Zero(t, rep.Failed())
	embedded, err := engine.LoadEmbedded()
	require.NoError(t, err)
	assert.Equal(t, embedded.Pack().Meta.Hash, eng.Pack().Meta.Hash, "the embedded pack is the rules/ directory")
}

func TestFailuresAreReported(t *testing.T) {
	eng, err := engine.LoadEmbedded()
	require.NoError(t, err)
	fsys := fstest.MapFS{"x.test.yaml": {Data: []byte(`
households:
  h:
    id: H
    jurisdiction: "150700"
    residence: urban
    status: [dibao]
    property_test: pass
    members:
      - {id: M1, disabled: false, employment: {status: retired}, income: {wages: 0, business: 0, pension: 100, other: 0}}
cases:
  - name: wrong status
    as_of: 2025-01-01
    household_ref: h
    expect:
      - {benefit: dibao, status: ineligible}
      - {benefit: living_allowance, subject: M1, status: eligible}
  - name: bad reference
    as_of: 2025-01-01
    household_ref: nope
    expect:
      - {benefit: dibao, status: eligible}
  - name: set a path
    as_of: 2025-01-01
    household_ref: h
    set:
      members[0].income.pension: 9000
    expect:
      - {benefit: dibao, status: ineligible, failed: [income_below_standard]}
  - name: a misspelt caveat code
    as_of: 2025-01-01
    household_ref: h
    expect:
      - {benefit: dibao, status: eligible, caveats: [remark], no_caveats: [exampel_values, 150700.dibao.include, 150700.public_rental_priority.floor_choice]}
`)}}
	rep := packtest.Run(eng, fsys, []string{"x.test.yaml"})
	require.Len(t, rep.Results, 4)
	assert.Equal(t, 3, rep.Failed())
	assert.Contains(t, strings.Join(rep.Results[0].Failures, "\n"), "want status ineligible, got eligible")
	assert.Contains(t, strings.Join(rep.Results[0].Failures, "\n"), "living_allowance/M1: want eligible, got no determination")
	assert.Contains(t, strings.Join(rep.Results[1].Failures, "\n"), `household_ref "nope"`)
	assert.True(t, rep.Results[2].Passed(), "%v", rep.Results[2].Failures)
	assert.Equal(t, []string{
		`dibao/household: unknown caveat code "exampel_values": neither one of engine.CaveatCodes nor a caveat rule's id`,
		`dibao/household: unknown caveat code "150700.dibao.include": neither one of engine.CaveatCodes nor a caveat rule's id`,
	}, rep.Results[3].Failures, "a misspelt code, and a rule that adds no caveat; a caveat rule's id is known")
}

func TestMalformedTestFile(t *testing.T) {
	fsys := fstest.MapFS{"bad.test.yaml": {Data: []byte("cases:\n  - name: x\n    as_of: 2025-01-01\n    expect: []\n")}}
	diags := packtest.Check(fsys, []string{"bad.test.yaml"})
	require.NotEmpty(t, diags)
	for _, d := range diags {
		assert.Equal(t, "R019", string(d.Code))
	}
	// Every problem, located as the loader locates a pack file's, with the
	// line; the three ways to give the household are one problem.
	require.Len(t, diags, 2)
	assert.Equal(t, `bad.test.yaml:2:5: error R019: cases[0]: give one of household, household_file, household_ref
 |   - name: x
 |     ^`, diags[0].String())
	assert.Equal(t, `bad.test.yaml:4:5: error R019: cases[0].expect: minItems: got 0, want 1
 |     expect: []
 |     ^`, diags[1].String())
}

// TestHouseholdGivenTwice: a case giving its household two ways is one
// problem naming both.
func TestHouseholdGivenTwice(t *testing.T) {
	fsys := fstest.MapFS{"two.test.yaml": {Data: []byte("cases:\n  - name: x\n    as_of: 2025-01-01\n    household_ref: a\n    household_file: b.yaml\n    expect: [{benefit: dibao, status: eligible}]\n")}}
	diags := packtest.Check(fsys, []string{"two.test.yaml"})
	require.Len(t, diags, 1)
	assert.Equal(t, `two.test.yaml:2:5: error R019: cases[0]: give only one of household, household_file, household_ref (household_file and household_ref are given)
 |   - name: x
 |     ^`, diags[0].String())
}
