package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// TestChineseNamesMatchCodes writes the example households and a generated
// roll with every enumerated value as one of its Chinese names (户主, 二级,
// 自主创业…, taking each name in turn) and checks that each gives the result
// byte for byte that its codes give, read by the schema decoder and by the
// fast one.
func TestChineseNamesMatchCodes(t *testing.T) {
	eng := testengine.Engine(t)
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	var records []*household.Household
	files, _ := filepath.Glob("../testdata/households/*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		h, _, err := household.Decode(data, household.DecodeOptions{File: f})
		require.NoError(t, err)
		records = append(records, h)
	}
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 400, Seed: 41, AsOf: asOf}, func(e *audit.Entry) error {
		records = append(records, withSchooling(e.Household, len(records)))
		return nil
	})
	require.NoError(t, err)

	names := newNamer()
	compared := 0
	for _, h := range records {
		want, err := eng.Evaluate(context.Background(), h, engine.AsOf(asOf))
		if engine.IsInputError(err) {
			continue // a planted invalid record
		}
		require.NoError(t, err)
		wantJSON, _ := json.Marshal(want)

		zh := names.translate(t, h)
		viaSchema, _, err := household.Decode(zh, household.DecodeOptions{})
		require.NoError(t, err, "%s", zh)
		viaFast, err := household.DecodeJSONFast(zh)
		require.NoError(t, err, "%s", zh)
		for _, got := range []*household.Household{viaSchema, viaFast} {
			res, err := eng.Evaluate(context.Background(), got, engine.AsOf(asOf))
			require.NoError(t, err, "%s", zh)
			gotJSON, _ := json.Marshal(res)
			if i := firstDiff(wantJSON, gotJSON); i >= 0 {
				t.Fatalf("household %s named %s\ngives …%s…\nnot     …%s…", h.ID, zh, around(gotJSON, i), around(wantJSON, i))
			}
		}
		compared++
	}
	assert.Greater(t, compared, 300)
	for _, f := range household.EnumFields {
		assert.NotZero(t, names.used[f.Path], "no record had a value for %s", f.Path)
	}
	assert.NotZero(t, names.used["members[].disability.grade"])
}

// namer rewrites codes as Chinese names, each code's names in turn.
type namer struct {
	byPath map[string]map[string][]string // path → code → names
	turn   map[string]int
	used   map[string]int
}

func newNamer() *namer {
	n := &namer{byPath: map[string]map[string][]string{}, turn: map[string]int{}, used: map[string]int{}}
	for _, f := range household.EnumFields {
		m := map[string][]string{}
		for name, code := range f.Names {
			m[code] = append(m[code], name)
		}
		for _, l := range m {
			sort.Strings(l)
		}
		n.byPath[f.Path] = m
	}
	grades := map[string][]string{}
	for name, g := range household.GradeNames {
		grades[fmt.Sprint(g)] = append(grades[fmt.Sprint(g)], name)
	}
	for _, l := range grades {
		sort.Strings(l)
	}
	n.byPath["members[].disability.grade"] = grades
	return n
}

// translate returns the household as JSON with its enumerated values named.
func (n *namer) translate(t *testing.T, h *household.Household) []byte {
	data, err := json.Marshal(h)
	require.NoError(t, err)
	var v map[string]any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	for path, byCode := range n.byPath {
		n.apply(v, strings.Split(path, "."), func(code string) string {
			names := byCode[code]
			if len(names) == 0 {
				return code
			}
			n.used[path]++
			n.turn[path+code]++
			return names[n.turn[path+code]%len(names)]
		})
	}
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return out
}

// apply rewrites the values at a path ("members[].needs[]") with f.
func (n *namer) apply(node any, path []string, f func(string) string) {
	obj, ok := node.(map[string]any)
	if !ok || len(path) == 0 {
		return
	}
	name, list := strings.CutSuffix(path[0], "[]")
	v, ok := obj[name]
	if !ok || v == nil {
		return
	}
	leaf := len(path) == 1
	rewrite := func(x any) any {
		switch s := x.(type) {
		case string:
			return f(s)
		case json.Number:
			return f(s.String())
		}
		return x
	}
	switch {
	case list:
		items, _ := v.([]any)
		for i := range items {
			if leaf {
				items[i] = rewrite(items[i])
			} else {
				n.apply(items[i], path[1:], f)
			}
		}
	case leaf:
		obj[name] = rewrite(v)
	default:
		n.apply(v, path[1:], f)
	}
}

// withSchooling gives the members of every third generated household (whose
// generator leaves them unknown) a work capacity, schooling and needs, taken
// in turn from each list of codes, so that those fields are named too.
func withSchooling(h *household.Household, i int) *household.Household {
	if i%3 != 0 {
		return h
	}
	for j := range h.Members {
		m := &h.Members[j]
		k := i + j
		year := 2025 - k%2
		m.WorkCapacity = household.WorkCapacities[k%len(household.WorkCapacities)]
		m.Education = &household.Education{
			Stage:          household.EducationStages[k%len(household.EducationStages)],
			GraduatingFrom: household.GraduatingFrom[k%len(household.GraduatingFrom)],
			GraduatingYear: &year,
		}
		needs := household.Needs{}
		for n, code := range household.NeedCodes {
			if (k>>n)&1 == 1 {
				needs = append(needs, code)
			}
		}
		m.Needs = &needs
	}
	return h
}

// firstDiff returns the first offset where a and b differ, or -1.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// around returns the bytes of b near offset i.
func around(b []byte, i int) string {
	return string(b[max(0, i-120):min(len(b), i+120)])
}
