package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/httpapi"
	"entitle/engine/internal/testengine"
)

// BenchmarkServeEvaluate measures the server's own work for one POST
// /v1/evaluate (no network): decode, validate, evaluate all benefits with
// reasons and citations, encode. bench/load measures it over loopback.
func BenchmarkServeEvaluate(b *testing.B) { benchServe(b, "/v1/evaluate?as_of=2025-06-30") }

// BenchmarkServeEvaluateLean is the same with lean=true.
func BenchmarkServeEvaluateLean(b *testing.B) {
	benchServe(b, "/v1/evaluate?as_of=2025-06-30&lean=true")
}

// BenchmarkServeEvaluateLogged is BenchmarkServeEvaluate with the decision
// log on, as entitle serve runs by default.
func BenchmarkServeEvaluateLogged(b *testing.B) {
	log, err := httpapi.OpenDecisionLog(filepath.Join(b.TempDir(), "decisions.jsonl"), false)
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	benchServe(b, "/v1/evaluate?as_of=2025-06-30", log)
}

func benchServe(b *testing.B, target string, log ...*httpapi.DecisionLog) {
	eng := testengine.Engine(b)
	var bodies [][]byte
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 200, Seed: 7, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Plant: map[audit.Class]int{}}, func(e *audit.Entry) error {
		body, err := json.Marshal(e.Household)
		bodies = append(bodies, body)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	opts := httpapi.Options{}
	if len(log) > 0 {
		opts.Log = log[0]
	}
	srv := httpapi.New(eng, opts)
	b.ReportAllocs()
	size, i := 0, 0
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(bodies[i%len(bodies)]))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusUnprocessableEntity {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		size += w.Body.Len()
		i++
	}
	b.ReportMetric(float64(size)/float64(i), "bytes/response")
}
