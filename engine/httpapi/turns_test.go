package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/internal/testengine"
)

// TestTurns: with every turn taken, a request waits, and is answered 503
// S408 when its deadline passes first; once a turn is free it is served.
func TestTurns(t *testing.T) {
	srv := New(testengine.Engine(t), Options{MaxConcurrent: 1, Deadline: 100 * time.Millisecond})
	require.Equal(t, 1, cap(srv.turns))
	body, err := os.ReadFile("../../testdata/households/dashiqiao-intake.json")
	require.NoError(t, err)
	post := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/evaluate", bytes.NewReader(body)))
		return w
	}
	srv.turns <- struct{}{} // the one turn is busy
	start := time.Now()
	w := post()
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "it waited for its deadline")
	var p Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
	assert.Equal(t, "S408", p.Code)
	assert.Contains(t, p.Detail, "busy")

	// The turn is freed while a request waits: it is served.
	go func() { time.Sleep(20 * time.Millisecond); <-srv.turns }()
	srv.opt.Deadline = 10 * time.Second
	w = post()
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, srv.turns, "the turn is given back")

	// Defaults: one turn per core Go uses.
	assert.Equal(t, runtime.GOMAXPROCS(0), cap(New(testengine.Engine(t), Options{}).turns))
}
