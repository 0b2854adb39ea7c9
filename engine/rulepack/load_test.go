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
func packWith(t *testing.T, files map[string]string) fs.FS {
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

const ruleHead = "rules:\n  - id: 141081.dibao.test_rule\n    benefit: dibao\n    jurisdiction: \"141081\"\n    modality: shall\n" +
	"    citations:\n      - doc: 141081-plan\n        quote: 將符合條件的殘疾人家庭全部納入最低生活保障范圍\n"

func TestEmbeddedPackLoads(t *testing.T) {
	p, diags := rulepack.Load(rules.FS)
	require.NotNil(t, p, "%s", diags)
	assert.Empty(t, diags.Errors())
	assert.Len(t, p.Benefits, 28, "all benefit codes of POLICY.md")
	assert.Len(t, p.Jurisdictions, 5)
	assert.True(t, strings.HasPrefix(p.Meta.Hash, "sha256:"))
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

// TestBrokenPacks: each broken pack is refused with located diagnostics.
func TestBrokenPacks(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		code  rulepack.Code
	}{
		{"yaml-syntax", map[string]string{"141081/x.rules.yaml": "rules:\n  - id: [\n"}, rulepack.CodeYAML},
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
