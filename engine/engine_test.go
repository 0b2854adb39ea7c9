package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/enginetest"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

func evaluateFile(t *testing.T, path string, opts ...engine.EvalOption) (*engine.Result, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return testengine.Engine(t).EvaluateRecord(context.Background(), data, household.DecodeOptions{File: filepath.ToSlash(path)}, opts...)
}

// TestBadInput: every bad record gets a clear, located error and no panic.
func TestBadInput(t *testing.T) {
	files, err := filepath.Glob("../testdata/bad/*.*")
	require.NoError(t, err)
	var n int
	for _, f := range files {
		if strings.HasSuffix(f, ".err") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			res, err := evaluateFile(t, f)
			require.Error(t, err)
			assert.Nil(t, res)
			assert.True(t, engine.IsInputError(err), "a bad record is an input error: %v", err)
			var es household.Errors
			require.ErrorAs(t, err, &es)
			// Each problem as the English and the Chinese reader get it.
			var b strings.Builder
			for _, e := range es {
				assert.NotEmpty(t, e.Code)
				assert.Contains(t, e.File, "testdata/bad/")
				assert.Regexp(t, `\p{Han}`, e.Zh, "%s has no message in Chinese", e)
				b.WriteString(e.Error() + "\n" + e.Localized("zh") + "\n")
			}
			enginetest.Golden(t, f+".err", []byte(b.String()))
		})
	}
	assert.GreaterOrEqual(t, n, 12)
}

// TestGolden evaluates each sample household and compares the JSON result.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/households/*.yaml")
	require.NoError(t, err)
	jsonFiles, _ := filepath.Glob("../testdata/households/*.json")
	files = append(files, jsonFiles...)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res, err := evaluateFile(t, f)
			require.NoError(t, err)
			b, err := json.MarshalIndent(res, "", "  ")
			require.NoError(t, err)
			name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
			enginetest.Golden(t, "../testdata/golden/"+name+".json", append(b, '\n'))
		})
	}
}

// TestDeterministic: the same input gives byte-identical output, however
// many goroutines evaluate it at once.
func TestDeterministic(t *testing.T) {
	data, err := os.ReadFile("../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	e := testengine.Engine(t)
	want := ""
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.EvaluateRecord(context.Background(), data, household.DecodeOptions{}, engine.Explain())
			if !assert.NoError(t, err) {
				return
			}
			b, _ := json.Marshal(res)
			mu.Lock()
			defer mu.Unlock()
			if want == "" {
				want = string(b)
			}
			assert.Equal(t, want, string(b))
		}()
	}
	wg.Wait()
}

func TestAsOfPrecedence(t *testing.T) {
	e := testengine.Engine(t)
	h := &household.Household{ID: "H", Jurisdiction: "141081", Members: []household.Member{{ID: "M1"}}}
	assert.Equal(t, "2026-11-23", e.AsOfDate(h).Format("2006-01-02"), "today by default")
	d := household.NewDate(2025, 1, 2)
	h.AsOf = &d
	assert.Equal(t, "2025-01-02", e.AsOfDate(h).Format("2006-01-02"), "the record's as_of")
	assert.Equal(t, "2024-03-04", e.AsOfDate(h, engine.AsOf(time.Date(2024, 3, 4, 15, 0, 0, 0, time.UTC))).Format("2006-01-02"), "the option wins")
}

func TestExampleValuesAreFlagged(t *testing.T) {
	res, err := evaluateFile(t, "../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	assert.Contains(t, res.ExampleValues, "dibao_standard_urban")
	d, ok := res.Determination("living_allowance", "M3")
	require.True(t, ok)
	require.NotNil(t, d.Amount)
	assert.True(t, d.Amount.Example)
	codes := []string{}
	for _, c := range d.Caveats {
		codes = append(codes, c.Code)
	}
	assert.Contains(t, codes, "example_values")
}

func TestReasonsShowActualAndThreshold(t *testing.T) {
	res, err := evaluateFile(t, "../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	d, ok := res.Determination("dibao", "household")
	require.True(t, ok)
	require.Equal(t, engine.Ineligible, d.Status)
	require.NotEmpty(t, d.Reasons)
	r := d.Reasons[0]
	assert.Equal(t, "income_below_standard", r.Condition)
	assert.Equal(t, "760.00", r.Actual)
	assert.Equal(t, "<", r.Op)
	assert.Equal(t, "700.00", r.Expected)
	assert.Equal(t, "money", r.Unit)
}

// TestLoneFactReasonsListTheirSources: a condition that reads one derived
// fact alone (member.long_term_care, member.no_occupation) says, when it
// fails, what the fact was worked out from, in every form that gives
// reasons and whatever benefits are selected; a lean result gives none.
func TestLoneFactReasonsListTheirSources(t *testing.T) {
	rec := `id: T
jurisdiction: "330213"
residence: urban
as_of: 2025-06-30
status: []
property_test: pass
members:
  - {id: A, relation: head, birth_date: 1980-01-01, disability: {category: physical, grade: 1, certificate_valid: true},
     care: {needed: true, months: 3}, employment: {status: student}, income: {wages: 0, business: 0, pension: 0, other: 0}}
`
	type fact struct{ name, value string }
	tests := []struct {
		benefit, condition string
		opts               []engine.EvalOption
		want               []fact
	}{
		{benefit: "care_subsidy", condition: "long_term_care",
			want: []fact{{"member.care_needed", "true"}, {"member.care_months", "3"}}},
		{benefit: "care_subsidy", condition: "long_term_care", opts: []engine.EvalOption{engine.Benefits("care_subsidy")},
			want: []fact{{"member.care_needed", "true"}, {"member.care_months", "3"}}},
		{benefit: "dibao_single_person", condition: "not_employed",
			want: []fact{{"member.employment_status", "student"}}},
		{benefit: "dibao_single_person", condition: "not_employed", opts: []engine.EvalOption{engine.Explain()},
			want: []fact{{"member.employment_status", "student"}}},
		{benefit: "care_subsidy", condition: "long_term_care", opts: []engine.EvalOption{engine.Lean()}},
	}
	for _, tt := range tests {
		res, err := testengine.Engine(t).EvaluateRecord(context.Background(), []byte(rec), household.DecodeOptions{File: "t.yaml"}, tt.opts...)
		require.NoError(t, err)
		d, ok := res.Determination(tt.benefit, "A")
		require.True(t, ok, tt.benefit)
		require.Equal(t, engine.Ineligible, d.Status, tt.benefit)
		var got []fact
		found := false
		for _, r := range d.Reasons {
			if r.Condition == tt.condition {
				found = true
				for _, f := range r.Facts {
					got = append(got, fact{f.Name, f.Value})
				}
				assert.Empty(t, r.Actual, "the facts say it")
			}
		}
		assert.True(t, found, "%s: no reason %s", tt.benefit, tt.condition)
		assert.Equal(t, tt.want, got, "%s %s", tt.benefit, tt.condition)
	}
}

func TestExplainTrace(t *testing.T) {
	res, err := evaluateFile(t, "../testdata/households/houma-phase-out.yaml", engine.Explain())
	require.NoError(t, err)
	d, ok := res.Determination("dibao_phase_out", "household")
	require.True(t, ok)
	var sawOverridden bool
	for _, tr := range d.Trace {
		if tr.Rule == "national.dibao_phase_out.cap" {
			sawOverridden = tr.Overridden == "141081.dibao_phase_out.six_months"
		}
		if tr.Rule == "141081.dibao_phase_out.six_months" {
			assert.Equal(t, "true", tr.Outcome)
			require.Len(t, tr.Conditions, 4)
			assert.Equal(t, "6", tr.Conditions[3].Actual)
			assert.Equal(t, "<=", tr.Conditions[3].Op)
		}
	}
	assert.True(t, sawOverridden, "the trace names the national rule the local one replaces")
}

func TestValidateNamesJurisdiction(t *testing.T) {
	e := testengine.Engine(t)
	h := &household.Household{ID: "H", Jurisdiction: "999999", Members: []household.Member{{ID: "M1"}}}
	_, err := e.Evaluate(context.Background(), h)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "H010")
	assert.Contains(t, err.Error(), "jurisdiction")
	var es household.Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, household.CodeJurisdiction, es[0].Code)
	assert.Equal(t, "jurisdiction", es[0].Field)
	assert.Contains(t, es[0].Zh, "规则包适用于 210882 大石桥市、330213 宁波市奉化区、141081 侯马市、150700 呼伦贝尔市、371581 临清市", "the problem says what to write instead")
	assert.Contains(t, es[0].Msg, "which covers 210882 Dashiqiao; 330213 Fenghua District, Ningbo; 141081 Houma; 150700 Hulunbuir; 371581 Linqing (write the code or the name; a place inside one may follow its name, as in an address)", "in English, the areas' English names")
}

// TestJurisdictionByName: a record may name its area instead of giving the
// code, as caseworkers and exported rolls often do; the result is the one
// the code gives, byte for byte. A name the pack does not list is H010
// with the areas it does cover, and a malformed code is one problem, not two.
func TestJurisdictionByName(t *testing.T) {
	e := testengine.Engine(t)
	data, err := os.ReadFile("../testdata/households/linqing-edge-family.yaml")
	require.NoError(t, err)
	want, err := e.EvaluateRecord(context.Background(), data, household.DecodeOptions{})
	require.NoError(t, err)
	require.Equal(t, "371581", want.Jurisdiction.Code)
	wantJSON := e.AppendJSON(nil, want)
	for _, name := range []string{"临清市", "山东省临清市", "临清", " 临清市 ", "Linqing", "LINQING",
		// After the parent city and the province, in full or short, and
		// an address that goes on below the area.
		"聊城市临清市", "山东省聊城市临清市", "山东聊城临清", "山东 聊城市 临清市", "临清市先锋路街道", "山东省聊城市临清市先锋路街道"} {
		t.Run(name, func(t *testing.T) {
			named := strings.Replace(string(data), `jurisdiction: "371581"`, fmt.Sprintf("jurisdiction: %q", name), 1)
			require.NotEqual(t, string(data), named)
			res, err := e.EvaluateRecord(context.Background(), []byte(named), household.DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, string(wantJSON), string(e.AppendJSON(nil, res)))
		})
	}
	houma := &household.Household{ID: "H", Jurisdiction: "侯馬市", Members: []household.Member{{ID: "M1"}}}
	res, err := e.Evaluate(context.Background(), houma)
	require.NoError(t, err, "侯马's plan writes its name in traditional script")
	assert.Equal(t, "141081", res.Jurisdiction.Code)

	// A code inside a jurisdiction: a 旗市区 of 呼伦贝尔市 (a prefecture-level
	// city whose opinions apply in all of them), a township's or village's
	// statistical code.
	for code, want := range map[string]string{"150702": "150700", "150781": "150700", "150701": "150700",
		"141081100000": "141081", "141081100": "141081", "150781001001": "150700"} {
		h := &household.Household{ID: "H", Jurisdiction: code, Members: []household.Member{{ID: "M1"}}}
		res, err := e.Evaluate(context.Background(), h)
		require.NoError(t, err, code)
		assert.Equal(t, want, res.Jurisdiction.Code, code)
	}

	// The same by name: an area written after its city or province, or an
	// address inside a jurisdiction.
	for name, want := range map[string]string{"呼伦贝尔市海拉尔区": "150700", "内蒙古呼伦贝尔市满洲里市": "150700",
		"内蒙古自治区呼伦贝尔市鄂温克族自治旗": "150700", "营口市大石桥市": "210882", "辽宁大石桥市": "210882",
		"临汾市侯马市": "141081", "山西临汾侯马": "141081", "宁波奉化": "330213", "浙江省宁波市奉化区锦屏街道": "330213",
		// A 旗市区 of 呼伦贝尔市 by its own name (areas), alone, after the
		// province, or going on below it.
		"海拉尔区": "150700", "满洲里市": "150700", "内蒙古莫力达瓦达斡尔族自治旗": "150700", "海拉尔区胜利街道": "150700",
		// A district or a city also without 区 or 市.
		"海拉尔": "150700", "满洲里": "150700", "内蒙古扎兰屯": "150700", "牙克石胜利街道": "150700"} {
		h := &household.Household{ID: "H", Jurisdiction: name, Members: []household.Member{{ID: "M1"}}}
		res, err := e.Evaluate(context.Background(), h)
		require.NoError(t, err, name)
		assert.Equal(t, want, res.Jurisdiction.Code, name)
	}

	tests := []struct {
		value, want string
	}{
		{"北京市", `行政区划 "北京市" 不在规则包的适用范围内；规则包适用于 210882 大石桥市`},
		// By name, too, containment runs one way, and what follows a
		// jurisdiction's name must name an area (two characters or more,
		// ending in 区, 县, 旗, 镇, 街道 …), not an office.
		{"聊城市", `行政区划 "聊城市" 不在规则包的适用范围内`},
		{"聊城市东昌府区", `行政区划 "聊城市东昌府区" 不在规则包的适用范围内`},
		{"山东省", `行政区划 "山东省" 不在规则包的适用范围内`},
		{"临清市人民政府", `行政区划 "临清市人民政府" 不在规则包的适用范围内`},
		{"莫旗", `行政区划 "莫旗" 不在规则包的适用范围内`}, // a banner's short forms are not made by rule
		{"海拉尔区人民政府", `行政区划 "海拉尔区人民政府" 不在规则包的适用范围内`},
		{"临清市X街道", `行政区划 "临清市X街道" 不在规则包的适用范围内`},
		{"临清县", `行政区划 "临清县" 不在规则包的适用范围内`},
		{"37158", "行政区划应为 6 位 GB/T 2260 代码（例如 141081）、9 位或 12 位乡镇（街道）、村（社区）统计用区划代码（例如 141081100000）或地区名称（例如 侯马市）"},
		{"1410811", "行政区划应为 6 位 GB/T 2260 代码"},
		// Containment runs one way: 临清 (371581) is in 聊城 (371500), which
		// the pack does not cover; 内蒙古 (150000) is not 呼伦贝尔.
		{"371500", `行政区划 "371500" 不在规则包的适用范围内`},
		{"150000", `行政区划 "150000" 不在规则包的适用范围内`},
		{"110105", `行政区划 "110105" 不在规则包的适用范围内`},
		{"371582100000", `行政区划 "371582100000" 不在规则包的适用范围内`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := &household.Household{ID: "H", Jurisdiction: tt.value, Members: []household.Member{{ID: "M1"}}}
			_, err := e.Evaluate(context.Background(), h)
			var es household.Errors
			require.ErrorAs(t, err, &es)
			require.Len(t, es, 1, "%v", es)
			assert.Equal(t, household.CodeJurisdiction, es[0].Code)
			assert.Contains(t, es[0].Zh, tt.want)
		})
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, err := os.ReadFile("../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	_, err = testengine.Engine(t).EvaluateRecord(ctx, data, household.DecodeOptions{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, engine.IsInputError(err))
}

// TestCachesFollowPlaceAndDate: each evaluator an engine reuses keeps the
// parameters, definitions and rule sets of every place and date it has
// met, and the current household's at hand. Households of five places on two dates, evaluated so that
// place and date change at every step, must each give what a new engine
// gives for that household alone.
func TestCachesFollowPlaceAndDate(t *testing.T) {
	paths, err := filepath.Glob("../testdata/households/*")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 5)
	dates := []time.Time{time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	type job struct {
		h  *household.Household
		on time.Time
	}
	var jobs []job
	places := map[string]bool{}
	for _, on := range dates {
		for _, p := range paths {
			h := benchHousehold(t, p)
			places[h.Jurisdiction] = true
			jobs = append(jobs, job{h, on})
		}
	}
	require.GreaterOrEqual(t, len(places), 5, "households of five places")
	want := make([]string, len(jobs))
	for i, j := range jobs {
		fresh, err := engine.LoadEmbedded()
		require.NoError(t, err)
		res, err := fresh.Evaluate(ctx, j.h, engine.AsOf(j.on))
		require.NoError(t, err)
		want[i] = string(fresh.AppendJSON(nil, res))
	}
	eng := testengine.Engine(t)
	for round := 0; round < 2; round++ { // the second round starts with every cache filled
		for k := range jobs {
			// Alternate the dates and step through the places.
			i := (k%2)*len(paths) + (k/2)%len(paths)
			res, err := eng.Evaluate(ctx, jobs[i].h, engine.AsOf(jobs[i].on))
			require.NoError(t, err)
			require.Equal(t, want[i], string(eng.AppendJSON(nil, res)), "%s on %s, round %d", jobs[i].h.ID, jobs[i].on.Format("2006-01-02"), round)
		}
	}
}
