package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/internal/testengine"
)

// sameAsUnmarshal checks that ParseDecision gives what json.Unmarshal
// gives: the same Decision, or the same error.
func sameAsUnmarshal(t *testing.T, line []byte) {
	t.Helper()
	got, gotErr := ParseDecision(line)
	var want Decision
	wantErr := json.Unmarshal(line, &want)
	if wantErr != nil {
		require.EqualError(t, gotErr, wantErr.Error(), "%q", line)
		return
	}
	require.NoError(t, gotErr, "%q", line)
	require.Equal(t, want, got, "%q", line)
}

const decisionLine = `{"time":"2026-11-24T01:02:03.456Z","decision_id":"0123","rule_pack":{"id":"p","version":"1","hash":"sha256:00"},` +
	`"input_hash":"sha256:11","as_of":"2025-06-30","input":{"id":"H","jurisdiction":"141081","members":[{"id":"M1","citizen_id":"1410**********0015","disability":{"category":"intellectual","grade":2}}]},` +
	`"masked":true,"results":[{"benefit":"dibao","subject":"household","status":"ineligible","rules":["national.dibao.income_test"],"failed":["national.dibao.income_test.property_ok"]},` +
	`{"benefit":"care_subsidy","subject":"M1","status":"undetermined","modality":"shall","amount":"100.00","period_to":"2025-08-31","rules":[],"missing":["members[0].care.months"]}]}`

// TestParseDecision: a record as the server writes it takes the fast path;
// every other line gets encoding/json's value or error.
func TestParseDecision(t *testing.T) {
	_, err := parseDecisionFast([]byte(decisionLine))
	require.NoError(t, err)
	sameAsUnmarshal(t, []byte(decisionLine))

	tests := []struct {
		name, line string
		fast       bool // whether the fast path reads it
	}{
		{"nulls", `{"time":null,"rule_pack":null,"input":null,"masked":null,"results":null}`, true},
		{"null outcome and lists", `{"results":[null,{"benefit":"dibao","rules":null,"failed":[]}]}`, true},
		{"escapes", `{"decision_id":"a\"b\u00e9","results":[{"benefit":"d\\u"}]}`, true},
		{"white space", " {\n\"as_of\" : \"2025-06-30\" ,\"results\" : [ ] }\n", true},
		{"unknown field", `{"time":"t","comment":"x"}`, false},
		{"unknown pack field", `{"rule_pack":{"id":"p","name":"x"}}`, false},
		{"unknown outcome field", `{"results":[{"benefit":"dibao","note":1}]}`, false},
		{"key in other case", `{"Decision_ID":"x"}`, false},
		{"repeated field", `{"time":"a","time":"b"}`, false},
		{"unknown household field", `{"input":{"id":"H","members":[],"extra":true}}`, false},
		{"number for a string", `{"time":12}`, false},
		{"string for a bool", `{"masked":"yes"}`, false},
		{"not an object", `[]`, false},
		{"truncated", decisionLine[:200], false},
		{"two values", `{} {}`, false},
		{"trailing comma", `{"time":"t",}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDecisionFast([]byte(tt.line))
			assert.Equal(t, tt.fast, err == nil, "fast path: %v", err)
			sameAsUnmarshal(t, []byte(tt.line))
		})
	}
}

// FuzzParseDecision: go test ./engine/httpapi -run x -fuzz FuzzParseDecision
func FuzzParseDecision(f *testing.F) {
	f.Add([]byte(decisionLine))
	f.Add([]byte(`{"results":[null,{"benefit":"dibao","rules":null}],"masked":false}`))
	f.Add([]byte(`{"input":{"id":"H","members":[{"id":"M1","income":{"wages":"812.50"}}]}}`))
	f.Fuzz(func(t *testing.T, line []byte) { sameAsUnmarshal(t, line) })
}

// BenchmarkParseDecision reads a decision log record of the houma sample
// household (full result) with ParseDecision and with json.Unmarshal.
func BenchmarkParseDecision(b *testing.B) {
	h, res := sampleDecision(b, testengine.Engine(b))
	d := Decision{Time: "2026-11-24T01:02:03.456Z", DecisionID: "0123456789abcdef0123456789abcdef", RulePack: res.RulePack,
		InputHash: "sha256:00", AsOf: res.AsOf, Input: Mask(h), Masked: true}
	line := appendDecision(nil, &d, res)
	b.Run("ParseDecision", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := ParseDecision(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			var d Decision
			if err := json.Unmarshal(line, &d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
