package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

func benchHousehold(b testing.TB, path string) *household.Household {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	h, _, err := household.Decode(data, household.DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkEvaluate measures one household evaluated with the full pack.
func BenchmarkEvaluate(b *testing.B) { benchAll(b) }

// BenchmarkEvaluateLean measures the batch form of a result.
func BenchmarkEvaluateLean(b *testing.B) { benchAll(b, engine.Lean()) }

func benchAll(b *testing.B, form ...engine.EvalOption) {
	benchEvaluate(b, append([]engine.EvalOption{engine.AsOf(time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC))}, form...))
}

// benchEvaluate evaluates the Houma phase-out household with opts.
func benchEvaluate(b *testing.B, opts []engine.EvalOption) {
	e := testengine.Engine(b)
	h := benchHousehold(b, "../testdata/households/houma-phase-out.yaml")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Evaluate(ctx, h, opts...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeEvaluateEncode measures the batch path: JSON in, lean JSON out.
func BenchmarkDecodeEvaluateEncode(b *testing.B) {
	e := testengine.Engine(b)
	h := benchHousehold(b, "../testdata/households/houma-phase-out.yaml")
	line, _ := json.Marshal(h)
	opt := engine.AsOf(time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		hh, err := household.DecodeJSONFast(line)
		if err != nil {
			b.Fatal(err)
		}
		res, err := e.Evaluate(ctx, hh, opt, engine.Lean())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(res); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateMonthly measures the lean result for the benefits paid
// monthly (and those they read): what a roll audit builds for a household
// with a finding.
func BenchmarkEvaluateMonthly(b *testing.B) { benchMonthly(b, engine.Lean()) }

// BenchmarkEvaluateBrief measures what a roll audit runs for each household
// first: the benefits paid monthly, brief.
func BenchmarkEvaluateBrief(b *testing.B) { benchMonthly(b, engine.Brief()) }

func benchMonthly(b *testing.B, form engine.EvalOption) {
	var codes []string
	for _, bn := range testengine.Engine(b).Pack().Benefits {
		if bn.Payment == "monthly" {
			codes = append(codes, bn.Code)
		}
	}
	benchEvaluate(b, []engine.EvalOption{engine.AsOf(time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)), form, engine.Benefits(codes...)})
}

// BenchmarkAppendJSON measures encoding one full result with the engine's
// own writer; BenchmarkEncodingJSON the same result with encoding/json.
func BenchmarkAppendJSON(b *testing.B) {
	e, res := benchResult(b)
	var buf []byte
	for b.Loop() {
		buf = e.AppendJSON(buf[:0], res)
	}
	b.ReportMetric(float64(len(buf)), "bytes/result")
}

func BenchmarkEncodingJSON(b *testing.B) {
	_, res := benchResult(b)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/result")
}

func benchResult(b *testing.B) (*engine.Engine, *engine.Result) {
	e := testengine.Engine(b)
	h := benchHousehold(b, "../testdata/households/houma-phase-out.yaml")
	res, err := e.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		b.Fatal(err)
	}
	return e, res
}
