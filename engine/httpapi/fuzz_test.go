package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/httpapi"
	"entitle/engine/internal/testengine"
)

// FuzzHandlers: whatever the body and query, the server answers
// /v1/evaluate, /v1/evaluate/batch and /v1/validate with a result (or the
// record checked) or a problem, never a 5xx and never a panic.
// go test ./engine/httpapi -fuzz FuzzHandlers
func FuzzHandlers(f *testing.F) {
	srv := httpapi.New(testengine.Engine(f), httpapi.Options{MaxBody: 64 << 10})
	for _, name := range []string{"houma-phase-out.yaml", "dashiqiao-intake.json"} {
		b, err := os.ReadFile("../../testdata/households/" + name)
		require.NoError(f, err)
		f.Add(b, "as_of=2025-06-30", uint8(0))
		f.Add(b, "explain=true&lean=true", uint8(1))
		f.Add(b, "as_of=2025-06-30", uint8(2))
	}
	f.Add([]byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":2}}]}`), "format=text&lang=en", uint8(0))
	f.Add([]byte("{\"id\":\"H\"}\n\x00\n"), "", uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, query string, which uint8) {
		path := "/v1/evaluate"
		ct := "application/json"
		switch which % 3 {
		case 1:
			path, ct = "/v1/evaluate/batch", "application/x-ndjson"
		case 2:
			path = "/v1/validate"
		}
		r := httptest.NewRequest("POST", path, bytes.NewReader(body))
		r.URL.RawQuery = query // as sent, however malformed
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		// A handler that runs away is a bug too: crash, so that the fuzzer
		// keeps the input.
		runaway := time.AfterFunc(10*time.Second, func() {
			panic(fmt.Sprintf("handler still running after 10 s: body %q, query %q", body, query))
		})
		defer runaway.Stop()
		srv.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("%d for body %q query %q: %s", w.Code, body, query, w.Body.String())
		}
		ctype := w.Header().Get("Content-Type")
		switch {
		case strings.HasPrefix(ctype, "application/x-ndjson"):
			// One JSON value a line; one line at least for each record sent.
			out := strings.Split(strings.TrimSuffix(w.Body.String(), "\n"), "\n")
			for _, line := range out {
				if line != "" && !json.Valid([]byte(line)) {
					t.Fatalf("not JSON: %q in %q", line, w.Body.String())
				}
			}
			if strings.TrimSpace(string(body)) != "" && w.Body.Len() == 0 {
				t.Fatalf("no answer for body %q", body)
			}
		case strings.HasPrefix(ctype, "application/"):
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("not JSON: %q", w.Body.String())
			}
		}
	})
}

// TestSlowClientDoesNotStallTheServer: a client that never finishes its
// headers is cut off, and the server keeps answering others.
func TestSlowClientDoesNotStallTheServer(t *testing.T) {
	api := httpapi.New(testengine.Engine(t), httpapi.Options{})
	srv := api.HTTPServer()
	srv.ReadHeaderTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(ln)
	defer srv.Close()

	slow, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer slow.Close()
	_, err = slow.Write([]byte("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n"))
	require.NoError(t, err)

	r, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode, "others are served meanwhile")

	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	n, _ := slow.Read(buf)
	_, err = slow.Read(buf[n:])
	assert.Error(t, err, "the stalled connection is closed by the server")
}
