package rulepack_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/enginetest"
	"entitle/engine/rulepack"
	"entitle/rules"
)

// packWith copies the embedded pack into memory and adds or replaces files.
func packWith(t testing.TB, files map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(rules.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(rules.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	}))
	for p, c := range files {
		if c == "" {
			delete(m, p)
			continue
		}
		m[p] = &fstest.MapFile{Data: []byte(c)}
	}
	return m
}

// withoutLine returns a file of the embedded pack with one line removed.
func withoutLine(t *testing.T, path, line string) string {
	t.Helper()
	return replaced(t, path, "  - "+line+"\n", "")
}

// replaced is the embedded pack's file with old replaced by new once.
func replaced(t testing.TB, path, old, new string) string {
	t.Helper()
	b, err := fs.ReadFile(rules.FS, path)
	require.NoError(t, err)
	out := strings.Replace(string(b), old, new, 1)
	require.NotEqual(t, string(b), out, "%s has no %q", path, old)
	return out
}

const ruleHead = "rules:\n  - id: 141081.dibao.test_rule\n    benefit: dibao\n    jurisdiction: \"141081\"\n    modality: shall\n" +
	"    citations:\n      - doc: 141081-plan\n        quote: 將符合條件的殘疾人家庭全部納入最低生活保障范圍\n"

func TestEmbeddedPackLoads(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.NotNil(t, p, "%s", diags)
	assert.Empty(t, diags, "the embedded pack has no errors and no warnings")
	assert.Len(t, p.Benefits, 28, "all benefit codes of POLICY.md")
	assert.Len(t, p.Jurisdictions, 5)
	assert.True(t, strings.HasPrefix(p.Meta.Hash, "sha256:"))
	dibao, _ := p.Benefit("dibao")
	phaseOut, _ := p.Benefit("dibao_phase_out")
	assert.Equal(t, []*rulepack.Benefit{phaseOut}, dibao.ContinuedBy, "the phase-out is paid as dibao")
	single, _ := p.Benefit("dibao_single_person")
	assert.Equal(t, []*rulepack.Benefit{single}, dibao.ClaimedSeparatelyBy, "a member may claim dibao alone")
	for _, r := range p.Rules {
		assert.NotEmpty(t, r.AllCitations, r.ID)
		for _, c := range r.Citations {
			doc, ok := p.Document(c.Doc)
			require.True(t, ok)
			assert.True(t, doc.Text.Contains(c.Quote), "%s quotes %s verbatim", r.ID, c.Doc)
		}
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a, _ := rulepack.Load(rules.FS)
	b, _ := rulepack.Load(packWith(t, map[string]string{"pack.yaml": "id: cn-disability-assistance\nversion: 9.9.9\n"}))
	require.NotNil(t, a)
	require.NotNil(t, b)
	assert.NotEqual(t, a.Meta.Hash, b.Meta.Hash)
	c, _ := rulepack.Load(packWith(t, map[string]string{"national/extra.test.yaml": "cases: []\n"}))
	require.NotNil(t, c)
	assert.Equal(t, a.Meta.Hash, c.Meta.Hash, "tests do not change the hash")
}

// TestPackWarnings: each doubtful pack loads, with a located warning.
func TestPackWarnings(t *testing.T) {
	linqingHead := strings.NewReplacer("141081.dibao.test_rule", "371581.dibao.test_rule", `jurisdiction: "141081"`, `jurisdiction: "371581"`,
		"doc: 141081-plan", "doc: 371581-plan", "quote: 將符合條件的殘疾人家庭全部納入最低生活保障范圍", "quote: 将符合条件的残疾人家庭全部纳入最低生活保障范围").Replace(ruleHead)
	condition := "    conditions:\n      - id: c\n        zh: 条件\n        en: condition\n        expr: household.size > 0\n"
	tests := []struct {
		name  string
		files map[string]string
		code  rulepack.Code
	}{
		{"warn-no-conditions", map[string]string{"141081/x.rules.yaml": ruleHead}, rulepack.WarnNoConditions},
		{"warn-unused-param", map[string]string{"parameters.yaml": replaced(t, "parameters.yaml", "parameters:\n",
			"parameters:\n  - {name: bonus_rate, type: rate, zh: 奖励比例, en: bonus rate, doc: Read by no rule.}\n")}, rulepack.WarnUnusedParam},
		{"warn-before-doc-date", map[string]string{"371581/x.rules.yaml": linqingHead + "    effective: {from: 2022-01-01}\n" + condition}, rulepack.WarnBeforeDocDate},
		// minimum_wage_monthly has values in 临清 only: a 侯马 rule
		// reading it would ask the caseworker for the pack's value.
		{"warn-value-gap", map[string]string{"141081/x.rules.yaml": ruleHead + "    scope: member\n" +
			"    conditions:\n      - id: paid\n        zh: 工资\n        en: wages\n        expr: member.wages >= params.minimum_wage_monthly\n"}, rulepack.WarnValueGap},
		{"warn-value-gap-dated", map[string]string{"141081/values.yaml": replaced(t, "141081/values.yaml", "from: 2021-01-01", "from: 2021-03-01")}, rulepack.WarnValueGap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := rulepack.Load(packWith(t, tt.files))
			require.NotNil(t, p, "a pack with warnings loads: %s", diags)
			require.Empty(t, diags.Errors())
			var warnings rulepack.Diagnostics
			for _, d := range diags {
				if d.Code == tt.code {
					warnings = append(warnings, d)
					assert.Equal(t, rulepack.Warning, d.Severity)
					assert.NotEmpty(t, d.File)
				}
			}
			require.NotEmpty(t, warnings, "%s", diags)
			enginetest.Golden(t, "../../testdata/badpacks/"+tt.name+".txt", []byte(warnings.Error()+"\n"))
		})
	}
}

// TestBrokenPacks: each broken pack is refused with located diagnostics.
func TestBrokenPacks(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		code  rulepack.Code
	}{
		{"yaml-syntax", map[string]string{"141081/x.rules.yaml": "rules:\n  - id: [\n"}, rulepack.CodeYAML},
		{"utf16", map[string]string{"141081/x.rules.yaml": "\xff\xfer\x00u\x00l\x00e\x00s\x00:\x00\n\x00"}, rulepack.CodeYAML},
		{"unknown-field", map[string]string{"141081/x.rules.yaml": ruleHead + "    colour: red\n"}, rulepack.CodeSchema},
		{"cel-type-error", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: bad\n        zh: 错\n        en: wrong\n        expr: household.size + 'a' > 0\n"}, rulepack.CodeCEL},
		{"undeclared-variable", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: bad\n        zh: 错\n        en: wrong\n        expr: |\n          household.size > 0 &&\n            member.grde <= 2\n"}, rulepack.CodeCEL},
		{"unbounded-cost", map[string]string{"141081/x.rules.yaml": ruleHead + "    scope: member\n" +
			"    conditions:\n      - id: costly\n        zh: 贵\n        en: costly\n        expr: string(member.age).matches(string(member.age))\n"}, rulepack.CodeCost},
		{"over-budget", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: costly\n        zh: 贵\n        en: costly\n        expr: \"[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a+b+c > 0)))\"\n"}, rulepack.CodeCost},
		{"not-boolean", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: number\n        zh: 数\n        en: number\n        expr: household.size\n"}, rulepack.CodeType},
		{"unknown-benefit", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "benefit: dibao", "benefit: dibao_bonus", 1)}, rulepack.CodeBenefit},
		{"duplicate-rule-id", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "141081.dibao.test_rule", "141081.dibao.include", 1)}, rulepack.CodeDuplicate},
		{"quote-not-verbatim", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "范圍", "範圍", 1)}, rulepack.CodeQuote},
		{"unknown-document", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "doc: 141081-plan", "doc: 141081-plan-2030", 1)}, rulepack.CodeDocument},
		{"foreign-document", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "doc: 141081-plan", "doc: 371581-plan", 1)}, rulepack.CodeJurisdiction},
		{"unknown-jurisdiction", map[string]string{"141081/x.rules.yaml": strings.NewReplacer("141081.dibao", "999999.dibao", `jurisdiction: "141081"`, `jurisdiction: "999999"`).Replace(ruleHead)}, rulepack.CodeJurisdiction},
		{"extends-missing", map[string]string{"141081/x.rules.yaml": ruleHead + "    extends: national.dibao.nothing\n"}, rulepack.CodeRelation},
		{"extends-cycle", map[string]string{"141081/x.rules.yaml": ruleHead + "    extends: 141081.dibao.other\n" +
			strings.Replace(strings.TrimPrefix(ruleHead, "rules:\n"), "test_rule", "other", 1) + "    extends: 141081.dibao.test_rule\n"}, rulepack.CodeCycle},
		{"benefit-cycle", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: loop\n        zh: 循环\n        en: loop\n        expr: benefit.dibao_phase_out\n" +
			"  - id: 141081.dibao_phase_out.loop\n    benefit: dibao_phase_out\n    jurisdiction: \"141081\"\n    modality: shall\n" +
			"    citations:\n      - doc: 141081-plan\n        quote: 將符合條件的殘疾人家庭全部納入最低生活保障范圍\n" +
			"    conditions:\n      - id: loop\n        zh: 循环\n        en: loop\n        expr: benefit.dibao\n"}, rulepack.CodeCycle},
		{"member-fact-in-household-rule", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    conditions:\n      - id: grade\n        zh: 等级\n        en: grade\n        expr: member.grade <= 2\n"}, rulepack.CodeScope},
		{"enum-typo", map[string]string{"141081/x.rules.yaml": ruleHead + "    scope: member\n" +
			"    conditions:\n      - id: cat\n        zh: 类别\n        en: category\n        expr: member.category in ['intellectual', 'mentall']\n"}, rulepack.CodeEnum},
		{"fractional-amount-without-rounding", map[string]string{"141081/x.rules.yaml": ruleHead +
			"    amount:\n      expr: double(household.dibao_standard) * 0.1\n      rounding: none\n"}, rulepack.CodeType},
		{"param-wrong-type", map[string]string{"141081/values.yaml": "jurisdiction: \"141081\"\nparameters:\n  phase_out_months:\n    - {value: six, provenance: example}\n"}, rulepack.CodeParameter},
		{"param-undeclared", map[string]string{"141081/values.yaml": "jurisdiction: \"141081\"\nparameters:\n  bonus:\n    - {value: 1, provenance: example}\n"}, rulepack.CodeParameter},
		{"official-without-source", map[string]string{"141081/values.yaml": "jurisdiction: \"141081\"\nparameters:\n  phase_out_months:\n    - {value: 6, provenance: official}\n"}, rulepack.CodeSchema},
		{"param-dates-overlap", map[string]string{"141081/values.yaml": "jurisdiction: \"141081\"\nparameters:\n  dibao_standard_urban:\n" +
			"    - {from: 2021-01-01, to: 2024-12-31, value: \"700.00\", provenance: example}\n    - {from: 2024-06-01, value: \"720.00\", provenance: example}\n"}, rulepack.CodeParameter},
		{"missing-pack-file", map[string]string{"benefits.yaml": ""}, rulepack.CodeMissingFile},
		{"ends-before-start", map[string]string{"141081/x.rules.yaml": ruleHead + "    effective: {from: 2025-01-01, to: 2024-01-01}\n"}, rulepack.CodeDates},
		{"coverage-cell-unaccounted", map[string]string{"coverage.yaml": withoutLine(t, "coverage.yaml", `{benefit: information_discount, jurisdiction: "210882", status: absent}`)}, rulepack.CodeCoverage},
		{"coverage-absent-but-encoded", map[string]string{"141081/coverage.yaml": "cells:\n  - {benefit: dibao_phase_out, jurisdiction: \"141081\", status: absent}\n"}, rulepack.CodeCoverage},
		{"coverage-no-benefit", map[string]string{"141081/coverage.yaml": "cells:\n  - {jurisdiction: \"141081\", status: absent}\n"}, rulepack.CodeSchema},
		{"coverage-unknown-benefit", map[string]string{"141081/coverage.yaml": "cells:\n  - {benefits: [dibao_bonus], jurisdiction: \"141081\", status: absent}\n"}, rulepack.CodeBenefit},
		{"coverage-excuse-not-verbatim", map[string]string{"141081/coverage.yaml": "cells:\n  - {benefit: information_discount, jurisdiction: \"141081\", status: excused, doc: 141081-plan, quote: 免收残疾人宽带费, reason: test}\n"}, rulepack.CodeQuote},
		{"indicator-unknown-benefit", map[string]string{"141081/indicators.yaml": "jurisdiction: \"141081\"\nindicators:\n  - {id: x, measure: coverage, benefit: dibao_bonus, zh: x, en: x, op: \">=\", percent: 100, binding: true, source: {doc: 141081-plan, quote: 約束性}}\n"}, rulepack.CodeBenefit},
		{"jurisdiction-listed-twice", map[string]string{"141081/jurisdictions.yaml": "jurisdictions:\n  - {code: \"141081\", zh: 侯马市, en: Houma}\n"}, rulepack.CodeDuplicate},
		{"jurisdiction-name-ambiguous", map[string]string{"141081/jurisdictions.yaml": "jurisdictions:\n  - {code: \"141099\", zh: 临清市, en: Elsewhere}\n"}, rulepack.CodeDuplicate},
		{"jurisdiction-area-outside", map[string]string{"141081/jurisdictions.yaml": "jurisdictions:\n  - {code: \"141000\", zh: 某市, en: Elsewhere, areas: [{code: \"150702\", zh: 某区}]}\n"}, rulepack.CodeJurisdiction},
		{"jurisdiction-area-name-ambiguous", map[string]string{"141081/jurisdictions.yaml": "jurisdictions:\n  - {code: \"141000\", zh: 某市, en: Elsewhere, areas: [{code: \"141082\", zh: 侯马市}]}\n"}, rulepack.CodeDuplicate},
		{"jurisdiction-alias-a-code", map[string]string{"141081/jurisdictions.yaml": "jurisdictions:\n  - {code: \"141099\", zh: 某市, en: Elsewhere, aliases: [\"141081\"]}\n"}, rulepack.CodeSchema},
		{"raw-outside-main-sources", map[string]string{"141081/sources.yaml": "documents:\n  - {id: x-doc, jurisdiction: \"141081\", title: x, script: simplified, provenance: primary, file: x.txt, raw: raw/x.txt}\n"}, rulepack.CodeDocument},
		{"earliest-year-with-date", map[string]string{"141081/sources.yaml": "documents:\n  - {id: x-doc, jurisdiction: \"141081\", title: x, script: simplified, provenance: primary, file: x.txt, date: 2022-03-01, earliest_year: 2022}\n", "141081/x.txt": "x\n"}, rulepack.CodeDates},
		{"earliest-year-implausible", map[string]string{"141081/sources.yaml": "documents:\n  - {id: x-doc, jurisdiction: \"141081\", title: x, script: simplified, provenance: primary, file: x.txt, earliest_year: 22}\n", "141081/x.txt": "x\n"}, rulepack.CodeSchema},
		{"paid-as-unknown", map[string]string{"benefits.yaml": replaced(t, "benefits.yaml", "paid_as: dibao\n", "paid_as: dibao_bonus\n")}, rulepack.CodeBenefit},
		{"separate-claim-to-unknown", map[string]string{"benefits.yaml": replaced(t, "benefits.yaml", "separate_claim_to: dibao\n", "separate_claim_to: dibao_single_person\n")}, rulepack.CodeBenefit},
		{"separate-claim-to-member", map[string]string{"benefits.yaml": replaced(t, "benefits.yaml", "separate_claim_to: dibao\n", "separate_claim_to: living_allowance\n")}, rulepack.CodeBenefit},
		{"provenance-mismatch", map[string]string{"141081/x.rules.yaml": strings.Replace(ruleHead, "quote:", "provenance: secondary\n        quote:", 1)}, rulepack.CodeProvenance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := rulepack.Load(packWith(t, tt.files))
			require.Nil(t, p, "a broken pack must not load")
			errs := diags.Errors()
			require.NotEmpty(t, errs)
			var codes []rulepack.Code
			for _, d := range errs {
				codes = append(codes, d.Code)
				assert.NotEmpty(t, d.File)
			}
			assert.Contains(t, codes, tt.code)
			enginetest.Golden(t, "../../testdata/badpacks/"+tt.name+".txt", []byte(errs.Error()+"\n"))
		})
	}
}

// TestUndatedDocumentsBoundTheirRules: a rule resting only on documents
// whose date is unknown does not start before their earliest year; one
// that also cites a dated document keeps its own date.
func TestUndatedDocumentsBoundTheirRules(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.NotNil(t, p, "%v", diags)
	tests := []struct {
		rule, starts string
		yearOnly     bool
	}{
		// Cites only the 2022 notice, whose day is not given.
		{"national.dibao_single_person.adult_unemployed_severe", "2022", true},
		// Cites the notice and 第三十三条 of the measures (in force 2021-07-01).
		{"national.dibao_phase_out.cap", "2021-07-01", false},
		// 呼伦贝尔's undated opinions implement documents of 2015.
		{"150700.dibao.include", "2015", true},
		{"150700.child_rehabilitation.under_seven", "2015", true},
		// A dated plan is unaffected.
		{"371581.dibao.include", "2022-06-08", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r, ok := p.Rule(tt.rule)
			require.True(t, ok)
			assert.Equal(t, tt.starts, r.StartsText())
			_, yearOnly := r.Start()
			assert.Equal(t, tt.yearOnly, yearOnly)
			first := *r.Starts()
			assert.False(t, r.InForce(first.AddDate(0, 0, -1), "continue"), "the day before")
			assert.True(t, r.InForce(first, "continue"), "the first day")
		})
	}
}

func TestParamLookupFallsBackToNational(t *testing.T) {
	p, _ := rulepack.Load(rules.FS)
	require.NotNil(t, p)
	on := mustDate("2025-06-01")
	v, ok := p.ParamValue("141081", "phase_out_months", on)
	require.True(t, ok)
	assert.Equal(t, "141081", v.Jurisdiction)
	v, ok = p.ParamValue("210882", "phase_out_months", on)
	require.True(t, ok)
	assert.Equal(t, "national", v.Jurisdiction, "大石桥 gives no length: the national cap applies")
	_, ok = p.ParamValue("141081", "dibao_standard_urban", mustDate("2019-01-01"))
	assert.False(t, ok, "no value before the first dated one")
}

// TestCleanedSourcesAreReproducible: the committed cleaned texts and the
// list of repairs are exactly what the cleaner makes from the raw seeds.
func TestCleanedSourcesAreReproducible(t *testing.T) {
	fsys := os.DirFS("../../rules")
	files, repairs, err := rulepack.CleanedSources(fsys)
	require.NoError(t, err)
	require.Len(t, files, 5)
	for p, b := range files {
		committed, err := fs.ReadFile(fsys, p)
		require.NoError(t, err)
		assert.Equal(t, string(committed), string(b), "%s: run `go run ./cmd/cleansources`", p)
	}
	committed, err := fs.ReadFile(fsys, rulepack.RepairsFile)
	require.NoError(t, err)
	assert.Equal(t, string(committed), string(repairs))
	// The damage POLICY.md lists, and nothing else.
	counts := map[string]int{}
	for _, line := range strings.Split(string(repairs), "\n") {
		if k, ok := strings.CutPrefix(strings.TrimSpace(line), "- kind: "); ok {
			counts[k]++
		}
	}
	assert.Equal(t, map[string]int{"pinyin": 879, "mojibake": 5, "lost_word": 11, "stray_english": 2}, counts)
	houma := string(files["sources/141081-plan.txt"])
	assert.Contains(t, houma, "當地低保標準?~10%", "the illegible lower bound stays illegible")
	assert.Contains(t, houma, "(APP)")
	assert.NotContains(t, houma, "(yè)")
	assert.NotContains(t, string(files["sources/150700-opinions.txt"]), "体育投注")
}

// TestCoverageMatrix: every benefit × jurisdiction cell is accounted for, and
// clauses found in one document only are encoded there and nowhere else.
func TestCoverageMatrix(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.Empty(t, diags.Errors())
	rows := p.Coverage()
	require.Len(t, rows, len(p.Benefits))
	encoded := map[string][]string{}
	for _, r := range rows {
		require.Len(t, r.Cells, len(p.Jurisdictions), r.Benefit)
		for _, c := range r.Cells {
			switch c.Status {
			case rulepack.CellEncoded:
				assert.NotEmpty(t, c.Rules, "%s × %s", r.Benefit, c.Jurisdiction)
				encoded[r.Benefit] = append(encoded[r.Benefit], c.Jurisdiction)
			case rulepack.CellAbsent:
				assert.Empty(t, c.Rules)
				if c.InCatalogue {
					assert.NotEmpty(t, c.Note, "%s × %s: a catalogue clause listed absent says why", r.Benefit, c.Jurisdiction)
				}
			case rulepack.CellExcused:
				require.NotEmpty(t, c.Excused)
				for _, x := range c.Excused {
					assert.NotEmpty(t, x.Reason)
					assert.NotEmpty(t, x.Quote)
				}
			default:
				t.Errorf("%s × %s: status %q", r.Benefit, c.Jurisdiction, c.Status)
			}
		}
	}
	tests := []struct {
		benefit string
		want    []string
	}{
		{"severe_disability_55_59_allowance", []string{"210882"}},
		{"legal_aid_means_test_waiver", []string{"150700"}},
		{"free_education", []string{"371581"}},
		{"information_discount", []string{"371581"}},
		{"youth_internship_subsidy", []string{"141081", "371581"}},
		{"child_rehabilitation", []string{"210882", "330213", "141081", "150700", "371581"}},
		{"dibao_raise", []string{"141081", "150700"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, encoded[tt.benefit], tt.benefit)
	}
}

// TestIndicators: the plan indicators of POLICY.md, per jurisdiction.
func TestIndicators(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.Empty(t, diags.Errors())
	type target struct {
		op      string
		percent float64
	}
	tests := []struct {
		jur  string
		want map[string]target
	}{
		{"210882", map[string]target{"dibao_inclusion": {">=", 100}, "living_allowance_coverage": {">=", 100}, "care_subsidy_coverage": {">=", 100},
			"pension_participation": {">", 90}, "medical_participation": {">", 95}}},
		{"330213", map[string]target{"living_allowance_coverage": {">", 99}, "care_subsidy_coverage": {">", 99},
			"pension_participation": {">=", 99}, "medical_participation": {">", 99}}},
		{"141081", map[string]target{"dibao_inclusion": {">=", 100}, "living_allowance_coverage": {">=", 100}, "care_subsidy_coverage": {">=", 100},
			"pension_participation": {">=", 90}, "medical_participation": {">=", 95}}},
		{"371581", map[string]target{"dibao_inclusion": {">=", 100}, "living_allowance_coverage": {">=", 100}, "care_subsidy_coverage": {">=", 100},
			"pension_participation": {">", 96}, "medical_participation": {">", 98}}},
	}
	for _, tt := range tests {
		t.Run(tt.jur, func(t *testing.T) {
			got := map[string]target{}
			for _, in := range p.Indicators(tt.jur) {
				got[in.ID] = target{in.Op, in.Percent}
				assert.NotEmpty(t, in.Source.Quote)
				require.NotNil(t, in.By)
				assert.Equal(t, "2025-12-31", in.By.Format("2006-01-02"))
			}
			assert.Equal(t, tt.want, got)
		})
	}
	in := p.Indicators("330213")[0]
	assert.True(t, in.Met(99.5))
	assert.False(t, in.Met(99), "> 99 is not met by 99")
}

// TestValueNames: example values are named by their declarations (a
// definition as def.NAME), in both languages, and a code the pack does not
// declare is shown as it is.
func TestValueNames(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.Empty(t, diags.Errors())
	for _, tt := range []struct {
		code string
		want rulepack.Text
		ok   bool
	}{
		{"dibao_standard_urban", rulepack.Text{Zh: "城市低保标准", En: "urban dibao standard"}, true},
		{"def.low_income_family", rulepack.Text{Zh: "低收入家庭", En: "low-income family"}, true},
		{"low_income_family", rulepack.Text{}, false}, // a definition needs its prefix
		{"def.dibao_standard_urban", rulepack.Text{}, false},
		{"no_such_value", rulepack.Text{}, false},
	} {
		got, ok := p.ValueName(tt.code)
		assert.Equal(t, tt.ok, ok, tt.code)
		assert.Equal(t, tt.want, got, tt.code)
	}
	assert.Equal(t, rulepack.Text{Zh: "城市低保标准；低收入家庭；no_such_value", En: "urban dibao standard; low-income family; no_such_value"},
		p.ValueNames([]string{"dibao_standard_urban", "def.low_income_family", "no_such_value"}))
	assert.Equal(t, rulepack.Text{}, p.ValueNames(nil))
}

// TestCoverageNotesInChinese: every note and reason of the embedded pack's
// coverage is given in Chinese too, so that the Chinese listing is Chinese.
func TestCoverageNotesInChinese(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.Empty(t, diags.Errors())
	notes := 0
	for _, row := range p.Coverage() {
		for _, c := range row.Cells {
			if c.Note != "" {
				notes++
				assert.NotEmpty(t, c.NoteZh, "%s × %s: note_zh", row.Benefit, c.Jurisdiction)
				assert.Equal(t, c.NoteZh, c.NoteIn("zh"))
				assert.Equal(t, c.Note, c.NoteIn("en"))
			}
			for _, x := range c.Excused {
				notes++
				assert.NotEmpty(t, x.ReasonZh, "%s × %s: reason_zh", row.Benefit, c.Jurisdiction)
				assert.Equal(t, x.ReasonZh, x.ReasonIn("zh"))
				assert.Equal(t, x.Reason, x.ReasonIn("en"))
			}
		}
	}
	assert.Greater(t, notes, 20)
	// Without a Chinese note, the English one is shown.
	assert.Equal(t, "why", rulepack.Cell{Note: "why"}.NoteIn("zh"))
}
