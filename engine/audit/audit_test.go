package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/internal/testengine"
)

var asOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// generate makes a roll as JSONL with its manifest.
func generate(t testing.TB, eng *engine.Engine, n int, seed uint64) ([]byte, []*audit.Entry, *rollgen.Manifest) {
	t.Helper()
	var buf bytes.Buffer
	var entries []*audit.Entry
	enc := json.NewEncoder(&buf)
	m, err := rollgen.Generate(eng, rollgen.Config{Households: n, Seed: seed, AsOf: asOf}, func(e *audit.Entry) error {
		if n <= 5000 {
			entries = append(entries, e)
		}
		return enc.Encode(e)
	})
	require.NoError(t, err)
	return buf.Bytes(), entries, m
}

// collect is a sink that keeps what it is given.
type collect struct {
	findings []*audit.Finding
	report   *audit.Report
}

func (c *collect) Finding(f *audit.Finding) error { c.findings = append(c.findings, f); return nil }
func (c *collect) Finish(r *audit.Report) error   { c.report = r; return nil }

func key(class audit.Class, household, member, benefit string) string {
	return fmt.Sprintf("%s %s %s %s", class, household, member, benefit)
}

func runAudit(t testing.TB, eng *engine.Engine, r audit.Reader, workers int) *collect {
	t.Helper()
	a, err := audit.New(eng, audit.Options{AsOf: asOf, Workers: workers, CompareExampleAmounts: true, TempDir: t.TempDir(), SpillEntries: 1000})
	require.NoError(t, err)
	c := &collect{}
	_, err = a.Run(context.Background(), r, c)
	require.NoError(t, err)
	return c
}

func expectExactly(t *testing.T, m *rollgen.Manifest, c *collect) {
	t.Helper()
	var want, got []string
	for _, f := range m.Findings {
		want = append(want, key(f.Class, f.Household, f.Member, f.Benefit))
	}
	for _, f := range c.findings {
		got = append(got, key(f.Class, f.Household, f.Member, f.Benefit))
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(want, got) {
		extra, missing := diff(got, want), diff(want, got)
		t.Errorf("findings differ from the manifest: %d found that were not planted, %d planted not found\nnot planted (first 20):\n  %s\nnot found (first 20):\n  %s",
			len(extra), len(missing), strings.Join(first(extra, 20), "\n  "), strings.Join(first(missing, 20), "\n  "))
	}
}

func diff(a, b []string) []string {
	count := map[string]int{}
	for _, x := range b {
		count[x]++
	}
	var out []string
	for _, x := range a {
		if count[x] > 0 {
			count[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// BenchmarkAuditJSONL measures the end-to-end audit of a generated roll:
// JSONL in, JSONL out, all cores. Households per second is reported.
func BenchmarkAuditJSONL(b *testing.B) {
	eng := testengine.Engine(b)
	data, _, _ := generate(b, eng, 20000, 3)
	a, err := audit.New(eng, audit.Options{AsOf: asOf, TempDir: b.TempDir()})
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	// As `entitle audit` runs by default (--memory-limit 160).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(160 << 20))
	b.ResetTimer()
	for b.Loop() {
		_, err := a.Run(context.Background(), audit.NewJSONLReader("roll", bytes.NewReader(data), 0), audit.NewJSONLSink(io.Discard))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "households/s")
}

// BenchmarkEvaluateGenerated measures the engine alone on generated
// households, as the audit calls it.
func BenchmarkEvaluateGenerated(b *testing.B) {
	eng := testengine.Engine(b)
	_, entries, _ := generate(b, eng, 2000, 5)
	var codes []string
	for _, bn := range eng.Pack().Benefits {
		if bn.Payment == "monthly" {
			codes = append(codes, bn.Code, bn.PaidAs)
		}
	}
	codes = slices.DeleteFunc(codes, func(s string) bool { return s == "" })
	opts := []engine.EvalOption{engine.AsOf(asOf), engine.Lean(), engine.Benefits(codes...)}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		eng.Evaluate(ctx, entries[i%len(entries)].Household, opts...)
		i++
	}
}

// BenchmarkDecodeEntry measures decoding one generated roll line (a
// household and its payments) by the fast path.
func BenchmarkDecodeEntry(b *testing.B) {
	eng := testengine.Engine(b)
	data, _, _ := generate(b, eng, 2000, 3)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.SetBytes(int64(len(data) / len(lines)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, problems := audit.DecodeLine(lines[i%len(lines)]); problems != nil {
			b.Fatal(problems)
		}
		i++
	}
}
