package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// TestDecisionEncoding: a decision log record is what encoding/json writes
// for the Decision with its Outcomes, for every sample household, full and
// lean, masked and not, on dates around the plan period's end; and
// ParseDecision's fast path reads it back as encoding/json does.
func TestDecisionEncoding(t *testing.T) {
	eng := testengine.Engine(t)
	files, err := filepath.Glob("../../testdata/households/*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		h, _, err := household.Decode(data, household.DecodeOptions{File: f})
		require.NoError(t, err, f)
		for _, day := range []time.Time{time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)} {
			for _, lean := range []bool{false, true} {
				opts := []engine.EvalOption{engine.AsOf(day)}
				if lean {
					opts = append(opts, engine.Lean())
				}
				res, err := eng.Evaluate(context.Background(), h, opts...)
				if err != nil {
					continue // a record the engine refuses is never logged
				}
				for _, in := range []*household.Household{h, Mask(h)} {
					d := Decision{Time: "2026-11-24T01:02:03.456Z", DecisionID: "0123456789abcdef0123456789abcdef", RulePack: res.RulePack,
						InputHash: "sha256:00", AsOf: res.AsOf, Input: in, Masked: in != h}
					got := string(appendDecision(nil, &d, res))
					d.Results = Outcomes(res)
					var want bytes.Buffer
					enc := json.NewEncoder(&want)
					enc.SetEscapeHTML(false)
					require.NoError(t, enc.Encode(d))
					require.Equal(t, string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))), got, "%s on %s, lean %v", f, day, lean)
					// Replay reads the record back on the fast path.
					fast, err := parseDecisionFast([]byte(got))
					require.NoError(t, err, "%s: a record as written takes the fast path", f)
					var std Decision
					require.NoError(t, json.Unmarshal([]byte(got), &std))
					require.Equal(t, std, fast, "%s on %s, lean %v", f, day, lean)
					n++
				}
			}
		}
	}
	require.Greater(t, n, 20)
}

// TestDecisionLogGroupCommit: appends from many goroutines at once each
// return once their record is written, and the log holds each exactly once.
func TestDecisionLogGroupCommit(t *testing.T) {
	eng := testengine.Engine(t)
	h, res := sampleDecision(t, eng)
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l, err := OpenDecisionLog(path, false)
	require.NoError(t, err)
	appended := appendConcurrently(t, l, h, res, 8, 50, func(i int, id string) {
		if i%10 == 0 {
			// Written by the time Append returns.
			data, err := os.ReadFile(path)
			assert.NoError(t, err)
			assert.Contains(t, string(data), id)
		}
	})
	require.NoError(t, l.Close())
	_, err = l.Append(time.Now(), []byte("{}"), h, res)
	require.ErrorIs(t, err, os.ErrClosed, "no append after Close")
	requireEachOnce(t, appended, path)
}

// appendConcurrently appends the same decision from workers goroutines,
// each times, calling after (if given) when an append has returned, and
// returns the ids appended, checking that each is new.
func appendConcurrently(t *testing.T, l *DecisionLog, h *household.Household, res *engine.Result, workers, each int, after func(i int, id string)) map[string]bool {
	t.Helper()
	ids := make(chan string, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id, err := l.Append(time.Now(), []byte("{}"), h, res)
				if !assert.NoError(t, err) {
					return
				}
				ids <- id
				if after != nil {
					after(i, id)
				}
			}
		}()
	}
	wg.Wait()
	close(ids)
	appended := map[string]bool{}
	for id := range ids {
		appended[id] = true
	}
	require.Len(t, appended, workers*each, "each append has its own id")
	return appended
}

// requireEachOnce checks that the logs hold every record appended, each
// once, whole and on its own line, and nothing else.
func requireEachOnce(t *testing.T, appended map[string]bool, logs ...string) {
	t.Helper()
	want := maps.Clone(appended)
	for _, f := range logs {
		for _, id := range logIDs(t, f) {
			require.True(t, want[id], "record %s in %s was appended, and is there once", id, f)
			delete(want, id)
		}
	}
	require.Empty(t, want, "every record is in one of the logs")
}

// gatedWriter holds each write until the test lets it through.
type gatedWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	entered chan struct{} // a write has begun
	gate    chan struct{} // let one write through
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	g.entered <- struct{}{}
	<-g.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.Write(p)
}

func (g *gatedWriter) Close() error { return nil }

func (g *gatedWriter) holds(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return bytes.Contains(g.buf.Bytes(), []byte(id))
}

// TestDecisionLogWaitsForItsWrite: a record queued while another write is
// under way is not reported written when that write ends, but when a write
// that holds it does.
func TestDecisionLogWaitsForItsWrite(t *testing.T) {
	eng := testengine.Engine(t)
	h, res := sampleDecision(t, eng)
	g := &gatedWriter{entered: make(chan struct{}), gate: make(chan struct{})}
	l := &DecisionLog{f: g}
	l.written.L = &l.mu
	type appended struct{ id string }
	first, second := make(chan appended, 1), make(chan appended, 1)
	go func() { id, _ := l.Append(time.Now(), nil, h, res); first <- appended{id} }()
	<-g.entered // the first record's write is under way
	go func() { id, _ := l.Append(time.Now(), nil, h, res); second <- appended{id} }()
	require.Eventually(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.queued == 2 }, 5*time.Second, time.Millisecond)
	g.gate <- struct{}{} // the first write ends
	a := <-first
	require.True(t, g.holds(a.id))
	select {
	case b := <-second:
		require.True(t, g.holds(b.id), "the second append returned before its record was written")
	case <-g.entered: // the second record's own write
		g.gate <- struct{}{}
		b := <-second
		require.True(t, g.holds(b.id))
	}
}

// TestDecisionLogWriteError: when the log cannot be written, the decision
// is not answered (S500), and neither is any later one.
func TestDecisionLogWriteError(t *testing.T) {
	eng := testengine.Engine(t)
	h, res := sampleDecision(t, eng)
	l, err := OpenDecisionLog(filepath.Join(t.TempDir(), "decisions.jsonl"), false)
	require.NoError(t, err)
	require.NoError(t, l.f.Close()) // the disk is gone, say
	_, err = l.Append(time.Now(), []byte("{}"), h, res)
	require.Error(t, err)

	srv := New(eng, Options{Log: l, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	body, err := json.Marshal(h)
	require.NoError(t, err)
	for range 2 {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/v1/evaluate", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		srv.ServeHTTP(w, r)
		require.Equal(t, http.StatusInternalServerError, w.Code)
		require.Contains(t, w.Body.String(), `"S500"`)
		require.Empty(t, w.Header().Get("X-Decision-Id"))
	}
	l.mu.Lock()
	queued := len(l.pending)
	l.mu.Unlock()
	require.Zero(t, queued, "appends to a failed log queue nothing")
	require.Error(t, l.Reopen(), "a failed log stays failed")
}

// TestDecisionLogReopen: after the file is renamed and the log reopened,
// records go to a new file under the old name; those appended before stay
// in the renamed one. A path that cannot be opened leaves the old file in
// use.
func TestDecisionLogReopen(t *testing.T) {
	eng := testengine.Engine(t)
	h, res := sampleDecision(t, eng)
	dir := t.TempDir()
	path := filepath.Join(dir, "decisions.jsonl")
	l, err := OpenDecisionLog(path, false)
	require.NoError(t, err)

	a, err := l.Append(time.Now(), []byte("{}"), h, res)
	require.NoError(t, err)
	require.NoError(t, os.Rename(path, path+".1"))
	require.NoError(t, l.Reopen())
	b, err := l.Append(time.Now(), []byte("{}"), h, res)
	require.NoError(t, err)
	require.Equal(t, []string{a}, logIDs(t, path+".1"))
	require.Equal(t, []string{b}, logIDs(t, path))

	// The path cannot be opened (a directory stands there): the log keeps
	// writing to the file it has.
	require.NoError(t, os.Rename(path, path+".2"))
	require.NoError(t, os.Mkdir(path, 0o755))
	err = l.Reopen()
	require.Error(t, err)
	require.Contains(t, err.Error(), path)
	c, err := l.Append(time.Now(), []byte("{}"), h, res)
	require.NoError(t, err)
	require.Equal(t, []string{b, c}, logIDs(t, path+".2"))

	require.NoError(t, l.Close())
	require.ErrorIs(t, l.Reopen(), os.ErrClosed)
	require.Error(t, (&DecisionLog{f: &gatedWriter{}}).Reopen(), "a log not opened from a path")
}

// TestDecisionLogReopenUnderLoad: rotating the log while many goroutines
// append loses no record, splits none, and writes none twice.
func TestDecisionLogReopenUnderLoad(t *testing.T) {
	eng := testengine.Engine(t)
	h, res := sampleDecision(t, eng)
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l, err := OpenDecisionLog(path, false)
	require.NoError(t, err)
	const rotations = 5
	var files []string
	rotated := make(chan struct{})
	go func() {
		defer close(rotated)
		for i := 1; i <= rotations; i++ {
			time.Sleep(2 * time.Millisecond)
			old := fmt.Sprintf("%s.%d", path, i)
			if !assert.NoError(t, os.Rename(path, old)) || !assert.NoError(t, l.Reopen()) {
				return
			}
			files = append(files, old)
		}
	}()
	appended := appendConcurrently(t, l, h, res, 8, 60, nil)
	<-rotated
	require.NoError(t, l.Close())
	requireEachOnce(t, appended, append(files, path)...)
}

// logIDs reads a decision log and returns its decisions' ids in order;
// every line must be a whole record.
func logIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var ids []string
	for line := range bytes.Lines(data) {
		var d Decision
		require.NoError(t, json.Unmarshal(line, &d), "%s: %q", path, line)
		ids = append(ids, d.DecisionID)
	}
	return ids
}

// sampleDecision is a sample household and its result.
func sampleDecision(t testing.TB, eng *engine.Engine) (*household.Household, *engine.Result) {
	data, err := os.ReadFile("../../testdata/households/houma-phase-out.yaml")
	require.NoError(t, err)
	h, _, err := household.Decode(data, household.DecodeOptions{})
	require.NoError(t, err)
	res, err := eng.Evaluate(context.Background(), h)
	require.NoError(t, err)
	return h, res
}
