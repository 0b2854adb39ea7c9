package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/internal/testengine"
)

// encodingJSON is what AppendJSON must match: encoding/json with HTML
// escaping off, without the final newline.
func encodingJSON(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestAppendJSONMatchesEncodingJSON encodes the result of every pack test
// case and of generated households on three dates, in full, with the
// trace and lean, both ways: the bytes must be the same.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	eng := testengine.Engine(t)
	strs, texts, cites := eng.PackTexts()
	t.Logf("kept encoded: %d strings, %d texts, %d citations", strs, texts, cites)
	assert.Greater(t, strs, 500, "the pack's strings are kept encoded")
	assert.Greater(t, texts, 300, "the pack's bilingual texts are kept encoded")
	assert.GreaterOrEqual(t, cites, 141, "every rule's citations are kept encoded")
	engine.SetVerifyJSON(true)
	defer engine.SetVerifyJSON(false)
	passPackCases(t, eng)
	n := 0
	for i, asOf := range []time.Time{
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	} {
		forms := [][]engine.EvalOption{{engine.AsOf(asOf)}, {engine.AsOf(asOf), engine.Explain()}, {engine.AsOf(asOf), engine.Lean()}}
		_, err := rollgen.Generate(eng, rollgen.Config{Households: 300, Seed: uint64(40 + i), AsOf: asOf},
			func(e *audit.Entry) error {
				for _, form := range forms {
					_, err := eng.Evaluate(context.Background(), e.Household, form...)
					if engine.IsInputError(err) {
						return nil // a planted invalid record
					}
					if err != nil {
						return err
					}
					n++
				}
				return nil
			})
		require.NoError(t, err)
	}
	assert.Greater(t, n, 2500)
	for _, m := range engine.JSONMismatches() {
		t.Error(m)
		break
	}
	assert.Empty(t, engine.JSONMismatches())
}

// TestAppendJSONEveryField fills every field of a result, of every type in
// it, with awkward values, and with none: a field added to a result type
// and not to the encoder fails here.
func TestAppendJSONEveryField(t *testing.T) {
	eng := testengine.Engine(t)
	for _, s := range []string{"", "x", "县级 \"quoted\" \\ \n\t\x01 \u2028 \xff <&>", "中华人民共和国残疾人保障法第四十八条规定"} {
		for _, value := range []any{nil, int64(-81250), true, false, "2025-03-01", 2.5, []int{1}} {
			var r engine.Result
			fill(reflect.ValueOf(&r).Elem(), s, value, 0)
			require.Equal(t, string(encodingJSON(t, &r)), string(eng.AppendJSON(nil, &r)), "string %q, value %v", s, value)
		}
	}
	var empty engine.Result
	require.Equal(t, string(encodingJSON(t, &empty)), string(eng.AppendJSON(nil, &empty)))
	require.Equal(t, "null", string(eng.AppendJSON(nil, nil)))
	// Empty but not nil slices are [] where nil ones are null or left out.
	r := engine.Result{ExampleValues: []string{}, Derived: []engine.DerivedFact{}, Warnings: []engine.Warning{},
		Determinations: []engine.Determination{{Rules: []string{}, Citations: []engine.CitationOut{}, Reasons: []engine.Reason{},
			Missing: []engine.Missing{}, Caveats: []engine.Caveat{{Citations: []engine.CitationOut{}}}, ExampleValues: []string{},
			Errors: []string{}, Trace: []engine.RuleTrace{{Conditions: []engine.ConditionTrace{{Missing: []string{}}}}}}}}
	require.Equal(t, string(encodingJSON(t, &r)), string(eng.AppendJSON(nil, &r)))
}

// fill sets every field: strings to s, booleans true, numbers non-zero,
// pointers to a filled value, slices to two filled elements, interfaces to
// value.
func fill(v reflect.Value, s string, value any, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(-12345 - depth))
	case reflect.Interface:
		if value != nil {
			v.Set(reflect.ValueOf(value))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s, value, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), s, value, depth+1)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), fmt.Sprint(s, i), value, depth+1)
		}
	default:
		panic("fill: no case for " + v.Kind().String())
	}
}
