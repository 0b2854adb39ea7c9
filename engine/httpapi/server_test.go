package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	hh "entitle/engine/household"
	"entitle/engine/httpapi"
	"entitle/engine/internal/testengine"
)

var today = testengine.Today

// schemas compiles the response schemas of the published OpenAPI document,
// so tests check real responses against it.
func schemas(t testing.TB) func(name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(httpapi.OpenAPI()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("openapi.json", doc))
	return func(name string) *jsonschema.Schema {
		s, err := c.Compile("openapi.json#/components/schemas/" + name)
		require.NoError(t, err, name)
		return s
	}
}

func conforms(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err, "%s", body)
	assert.NoError(t, s.Validate(v), "response does not match the OpenAPI document")
}

func household(t testing.TB, name string) []byte {
	b, err := os.ReadFile("../../testdata/households/" + name)
	require.NoError(t, err)
	return b
}

func do(t *testing.T, h http.Handler, method, target, contentType string, body []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestEndpointsMatchOpenAPI(t *testing.T) {
	schema := schemas(t)
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	houma := household(t, "houma-phase-out.yaml")
	tests := []struct {
		name, method, target, contentType string
		body                              []byte
		status                            int
		schema                            string
		contains                          string
	}{
		{"evaluate yaml", "POST", "/v1/evaluate", "application/yaml", houma, 200, "Result", `"dibao_phase_out"`},
		{"evaluate json, explain", "POST", "/v1/evaluate?explain=true", "application/json", household(t, "dashiqiao-intake.json"), 200, "Result", `"trace"`},
		{"evaluate lean as of", "POST", "/v1/evaluate?lean=true&as_of=2025-09-01", "application/yaml", houma, 200, "Result", `"as_of":"2025-09-01"`},
		{"invalid record", "POST", "/v1/evaluate", "application/json", []byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":5}}]}`), 422, "Problem", `"H011"`},
		{"not json", "POST", "/v1/evaluate", "application/json", []byte(`{"id":`), 422, "Problem", `"H001"`},
		// 张三 in GBK: refused where it is, not decoded as "���" (regression: the fast path took it).
		{"a name in GBK", "POST", "/v1/evaluate", "application/json", []byte("{\"id\":\"H\",\"jurisdiction\":\"141081\",\"members\":[{\"id\":\"M1\",\"name\":\"\xd5\xc5\xc8\xfd\"}]}"), 422, "Problem", `"line":1,"column":65`},
		{"unknown jurisdiction", "POST", "/v1/evaluate", "application/json", []byte(`{"id":"H","jurisdiction":"110101","members":[{"id":"M1"}]}`), 422, "Problem", `"H010"`},
		{"jurisdiction by name", "POST", "/v1/evaluate", "application/json", []byte(`{"id":"H","jurisdiction":"侯马市","members":[{"id":"M1"}]}`), 200, "Result", `"jurisdiction":{"code":"141081"`},
		{"unknown jurisdiction by name", "POST", "/v1/evaluate", "application/json", []byte(`{"id":"H","jurisdiction":"北京市","members":[{"id":"M1"}]}`), 422, "Problem", `规则包适用于 210882 大石桥市`},
		{"bad as_of", "POST", "/v1/evaluate?as_of=yesterday", "application/json", houma, 400, "Problem", `"detail_zh":"评估日期 as_of \"yesterday\" 不是 YYYY-MM-DD 格式的日期"`},
		{"bad lean", "POST", "/v1/evaluate?lean=maybe", "application/json", houma, 400, "Problem", `"title_zh":"请求参数有误"`},
		{"media type", "POST", "/v1/evaluate", "text/csv", houma, 415, "Problem", `"S415"`},
		{"batch media type", "POST", "/v1/evaluate/batch", "application/yaml", houma, 415, "Problem", `a line as application/x-ndjson`},
		{"batch bad as_of", "POST", "/v1/evaluate/batch?as_of=2025-13-01", "application/x-ndjson", houma, 400, "Problem", `"S400"`},
		{"validate yaml", "POST", "/v1/validate", "application/yaml", houma, 200, "Checked", `"jurisdiction":"141081"`},
		{"validate names", "POST", "/v1/validate", "application/json", []byte(`{"id":"H","jurisdiction":"侯马市","members":[{"id":"M1","relation":"户主"}]}`), 200, "Checked", `"relation":"head"`},
		{"evaluate without ids", "POST", "/v1/evaluate", "application/json", []byte(`{"jurisdiction":"141081","members":[{"name":"张三"},{"id":"M1"}]}`), 200, "Result", `"subject":"M1-2"`},
		{"validate without ids", "POST", "/v1/validate", "application/json", []byte(`{"jurisdiction":"141081","members":[{"name":"张三"}]}`), 200, "Checked", `"members":[{"id":"M1","name":"张三"}]`},
		{"validate warning", "POST", "/v1/validate", "application/json", []byte(`{"id":"H","jurisdiction":"141081","status":["dibao","dibao_edge"],"members":[{"id":"M1"}]}`), 200, "Checked", `"code":"W002"`},
		{"validate invalid", "POST", "/v1/validate", "application/json", []byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":5}}]}`), 422, "Problem", `"H011"`},
		{"validate on a date", "POST", "/v1/validate?as_of=2025-06-30", "application/yaml", houma, 422, "Problem", `"line":17`},
		{"validate not a record", "POST", "/v1/validate", "application/json", []byte(`{"id":`), 422, "Problem", `"H001"`},
		{"validate bad as_of", "POST", "/v1/validate?as_of=2025-02-30", "application/yaml", houma, 400, "Problem", `"S400"`},
		{"validate media type", "POST", "/v1/validate", "text/csv", houma, 415, "Problem", `"S415"`},
		{"benefits", "GET", "/v1/benefits", "", nil, 200, "BenefitList", `"living_allowance"`},
		{"benefits paid as another", "GET", "/v1/benefits", "", nil, 200, "BenefitList", `"payment":"monthly","paid_as":"dibao"}`},
		{"benefits claimed alone", "GET", "/v1/benefits", "", nil, 200, "BenefitList", `"payment":"monthly","separate_claim_to":"dibao"}`},
		{"jurisdictions", "GET", "/v1/jurisdictions", "", nil, 200, "JurisdictionList", `"141081"`},
		{"rules", "GET", "/v1/rules?jurisdiction=141081", "", nil, 200, "RuleList", `"141081.dibao_phase_out.six_months"`},
		{"rules by jurisdiction name", "GET", "/v1/rules?jurisdiction=" + url.QueryEscape("侯马市"), "", nil, 200, "RuleList", `"141081.dibao_phase_out.six_months"`},
		{"rules name their jurisdiction", "GET", "/v1/rules?jurisdiction=" + url.QueryEscape("侯马市"), "", nil, 200, "RuleList", `"jurisdiction":{"code":"141081","name":{"zh":"侯马市"`},
		{"rules inside a covered area", "GET", "/v1/rules?jurisdiction=150781", "", nil, 200, "RuleList", `"jurisdiction":{"code":"150700"`},
		{"rules inside a covered area are its rules", "GET", "/v1/rules?jurisdiction=150781", "", nil, 200, "RuleList", `"150700.dibao_raise.special_hardship"`},
		{"jurisdiction aliases", "GET", "/v1/jurisdictions", "", nil, 200, "JurisdictionList", `"aliases":["临清"]`},
		{"jurisdiction parent", "GET", "/v1/jurisdictions", "", nil, 200, "JurisdictionList", `"province":"山东省","parent":"聊城市","level":"county-level city"`},
		{"validate an address", "POST", "/v1/validate", "application/json", []byte(`{"id":"H","jurisdiction":"山东省聊城市临清市先锋路街道","members":[{"id":"M1"}]}`), 200, "Checked", `"jurisdiction":"371581"`},
		{"jurisdictions list areas", "GET", "/v1/jurisdictions", "", nil, 200, "JurisdictionList", `"areas":[{"code":"150702","zh":"海拉尔区"}`},
		{"rules by an area's name", "GET", "/v1/rules?jurisdiction=" + url.QueryEscape("满洲里市"), "", nil, 200, "RuleList", `"jurisdiction":{"code":"150700"`},
		{"rules by address", "GET", "/v1/rules?jurisdiction=" + url.QueryEscape("呼伦贝尔市海拉尔区"), "", nil, 200, "RuleList", `"jurisdiction":{"code":"150700"`},
		{"rules unknown jurisdiction", "GET", "/v1/rules?jurisdiction=110101", "", nil, 404, "Problem", `"S404"`},
		{"rule with source text", "GET", "/v1/rules/141081.dibao_phase_out.six_months", "", nil, 200, "RuleDetail", `"before"`},
		{"rule with the quote's sentence", "GET", "/v1/rules/national.living_allowance.excl_orphan", "", nil, 200, "RuleDetail", `"sentence_after":",但符合重度残疾人护理补贴条件的,可享受重度残疾人护理补贴。"`},
		{"rule start date", "GET", "/v1/rules/141081.dibao_phase_out.six_months", "", nil, 200, "RuleDetail", `"starts":"2021-01-01"`},
		{"rule start known to the year", "GET", "/v1/rules/national.dibao_single_person.adult_unemployed_severe", "", nil, 200, "RuleDetail", `"starts":"2022"`},
		{"no such rule", "GET", "/v1/rules/nope", "", nil, 404, "Problem", `"S404"`},
		{"health", "GET", "/healthz", "", nil, 200, "Health", `"ok"`},
		{"no such path", "GET", "/v2/x", "", nil, 404, "Problem", `"S404"`},
		{"wrong method", "GET", "/v1/evaluate", "", nil, 405, "Problem", `"S405"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, srv, tt.method, tt.target, tt.contentType, tt.body)
			require.Equal(t, tt.status, w.Code, w.Body.String())
			if tt.status >= 400 {
				assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
				var p httpapi.Problem
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
				assert.Regexp(t, `\p{Han}`, p.TitleZh, "a problem's title in Chinese")
				assert.Regexp(t, `\p{Han}`, p.DetailZh, "a problem's detail in Chinese")
			}
			conforms(t, schema(tt.schema), w.Body.Bytes())
			assert.Contains(t, w.Body.String(), tt.contains)
		})
	}
	w := do(t, srv, "GET", "/openapi.json", "", nil)
	assert.Equal(t, 200, w.Code)
	assert.JSONEq(t, string(httpapi.OpenAPI()), w.Body.String())
}

// TestRequestBodiesMatchOpenAPI: the published document describes the
// request body of /v1/evaluate: the example households and a record
// written with Chinese names conform to its Household schema; records the
// server refuses for their shape do not.
func TestRequestBodiesMatchOpenAPI(t *testing.T) {
	schema := schemas(t)("Household")
	files, _ := filepath.Glob("../../testdata/households/*")
	require.NotEmpty(t, files)
	for _, f := range files {
		h, _, err := hh.Decode(household(t, filepath.Base(f)), hh.DecodeOptions{})
		require.NoError(t, err, f)
		b, err := json.Marshal(h)
		require.NoError(t, err)
		conforms(t, schema, b)
	}
	conforms(t, schema, []byte(`{"id":"H","jurisdiction":"山东省临清市","members":[{"id":"M1"}]}`))
	conforms(t, schema, []byte(`{"id":"H","jurisdiction":"141081","residence":"农村","members":[{"id":"M1","relation":"户主","disability":{"category":"智力残疾","grade":"二级"},"employment":{"status":"失业"},"needs":["日间照料"]}]}`))
	for _, bad := range []string{
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":5}}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","relation":"邻居"}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","colour":"red"}]}`,
		`{"id":"H","members":[{"id":"M1"}]}`,
		`{"id":"H","jurisdiction":"37158","members":[{"id":"M1"}]}`,
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		require.NoError(t, err)
		assert.Error(t, schema.Validate(v), bad)
		w := do(t, httpapi.New(testengine.Engine(t), httpapi.Options{}), "POST", "/v1/evaluate", "application/json", []byte(bad))
		assert.Equal(t, 422, w.Code, bad)
	}
}

func TestTextReport(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	w := do(t, srv, "POST", "/v1/evaluate?format=text&lang=en", "application/yaml", household(t, "houma-phase-out.yaml"))
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Header().Get("Content-Type"), "text/plain")
	assert.Contains(t, w.Body.String(), "Dibao phase-out period")
}

// TestTextReportExplain: explain=1 is read as explain=true is, for the text
// report as for JSON (the text path once read only the word "true").
func TestTextReportExplain(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	plain := do(t, srv, "POST", "/v1/evaluate?format=text&lang=en&as_of=2025-08-15", "application/yaml", household(t, "houma-phase-out.yaml"))
	words := do(t, srv, "POST", "/v1/evaluate?format=text&lang=en&as_of=2025-08-15&explain=true", "application/yaml", household(t, "houma-phase-out.yaml"))
	digit := do(t, srv, "POST", "/v1/evaluate?format=text&lang=en&as_of=2025-08-15&explain=1", "application/yaml", household(t, "houma-phase-out.yaml"))
	require.Equal(t, 200, digit.Code)
	assert.Greater(t, words.Body.Len(), plain.Body.Len(), "explain adds the trace")
	assert.Equal(t, words.Body.String(), digit.Body.String())
}

func TestLimitsAndAuth(t *testing.T) {
	schema := schemas(t)
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{MaxBody: 100, Token: "s3cret"})
	w := do(t, srv, "POST", "/v1/evaluate", "application/yaml", household(t, "houma-phase-out.yaml"))
	assert.Equal(t, 401, w.Code, "no token")
	conforms(t, schema("Problem"), w.Body.Bytes())
	assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Bearer")
	w = do(t, srv, "POST", "/v1/evaluate", "application/yaml", household(t, "houma-phase-out.yaml"), "Authorization", "Bearer wrong")
	assert.Equal(t, 401, w.Code, "wrong token")
	w = do(t, srv, "POST", "/v1/evaluate", "application/yaml", household(t, "houma-phase-out.yaml"), "Authorization", "Bearer s3cret")
	assert.Equal(t, 413, w.Code, "too large")
	conforms(t, schema("Problem"), w.Body.Bytes())
	w = do(t, srv, "GET", "/healthz", "", nil)
	assert.Equal(t, 200, w.Code, "health needs no token")
}

func TestBatchStreams(t *testing.T) {
	schema := schemas(t)
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	good := strings.ReplaceAll(string(household(t, "dashiqiao-intake.json")), "\n", " ")
	body := good + "\n" + `{"id":"bad","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":9}}]}` + "\n\nnot json\n" + good + "\n"
	w := do(t, srv, "POST", "/v1/evaluate/batch?lean=true", "application/x-ndjson", []byte(body))
	require.Equal(t, 200, w.Code)
	assert.Equal(t, "application/x-ndjson", w.Header().Get("Content-Type"))
	var lines []httpapi.BatchLine
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		conforms(t, schema("BatchLine"), sc.Bytes())
		var l httpapi.BatchLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		lines = append(lines, l)
	}
	require.Len(t, lines, 4, "the blank line is skipped, every other one answered")
	assert.Equal(t, []int{1, 2, 4, 5}, []int{lines[0].Line, lines[1].Line, lines[2].Line, lines[3].Line})
	assert.NotNil(t, lines[0].Result)
	assert.Equal(t, "H011", lines[1].Problem.Errors[0].Code)
	assert.Equal(t, "S422", lines[2].Problem.Code)
	assert.NotNil(t, lines[3].Result)
}

func TestSwapServesTheNewPack(t *testing.T) {
	eng := testengine.Engine(t)
	srv := httpapi.New(eng, httpapi.Options{})
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../../rules")))
	f := filepath.Join(dir, "pack.yaml")
	b, _ := os.ReadFile(f)
	require.NoError(t, os.WriteFile(f, bytes.Replace(b, []byte("version: "), []byte("version: swapped-"), 1), 0o644))
	other, err := engine.LoadDir(dir)
	require.NoError(t, err)
	srv.Swap(other)
	w := do(t, srv, "GET", "/healthz", "", nil)
	assert.Contains(t, w.Body.String(), "swapped-")
	assert.NotEqual(t, eng.Pack().Meta.Hash, other.Pack().Meta.Hash)
}

func TestDecisionLogMasks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	log, err := httpapi.OpenDecisionLog(path, false)
	require.NoError(t, err)
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{Log: log, Now: func() time.Time { return today }})
	w := do(t, srv, "POST", "/v1/evaluate", "application/yaml", household(t, "houma-phase-out.yaml"))
	require.Equal(t, 200, w.Code)
	id := w.Header().Get("X-Decision-Id")
	assert.Len(t, id, 32)
	require.NoError(t, log.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var d httpapi.Decision
	require.NoError(t, json.Unmarshal(data, &d))
	assert.Equal(t, id, d.DecisionID)
	assert.True(t, d.Masked)
	assert.NotContains(t, string(data), "141081197503120015", "citizen IDs are masked")
	assert.NotContains(t, string(data), "王建国", "names are masked")
	assert.Contains(t, string(data), "141081********0015")
	assert.Contains(t, d.InputHash, "sha256:")
	assert.NotEmpty(t, d.Results)
}

func TestWebPage(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{Token: "x"})
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		w := do(t, srv, "GET", p, "", nil)
		require.Equal(t, 200, w.Code, p)
		assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'self'", "no CDN")
	}
	w := do(t, srv, "GET", "/", "", nil)
	body, _ := io.ReadAll(w.Body)
	assert.Contains(t, string(body), "残疾人救助待遇认定")
	assert.NotContains(t, string(body), "http://", "assets are local")
	assert.NotContains(t, string(body), "https://")
}

// TestPageLabels: /labels.json gives the page the names of the record's
// codes, of the units and of the pack's parameters and definitions, and the
// names a record may give instead of codes, without the token (the page
// loads it first); after a reload, the new pack's.
func TestPageLabels(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{Token: "x"})
	w := do(t, srv, "GET", "/labels.json", "", nil)
	require.Equal(t, 200, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var labels struct {
		Values map[string][2]string `json:"values"`
		Units  map[string][2]string `json:"units"`
		Params map[string][2]string `json:"params"`
		Names  map[string]map[string]string
		Grades map[string]int
		Flags  map[string]bool
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &labels))
	assert.Equal(t, "head", labels.Names["members[].relation"]["户主"])
	assert.Equal(t, "physical", labels.Names["members[].disability.category"]["肢体残疾"])
	assert.Equal(t, "dibao", labels.Names["status[]"]["低保户"])
	assert.Equal(t, "rehabilitation", labels.Names["members[].needs[]"]["康复"])
	assert.Len(t, labels.Names, len(hh.EnumFields), "every enum field")
	assert.Equal(t, 2, labels.Grades["二级"])
	assert.Equal(t, map[string]bool{"是": true, "否": false}, labels.Flags)
	assert.Equal(t, [2]string{"非劳动力", "not in the labour force"}, labels.Values["not_in_labour_force"])
	assert.Equal(t, [2]string{"精神", "mental"}, labels.Values["mental"])
	assert.Equal(t, [2]string{"元", "yuan"}, labels.Units["money"])
	assert.Equal(t, [2]string{"岁", "years"}, labels.Units["岁"])
	assert.Equal(t, [2]string{"城市低保标准", "urban dibao standard"}, labels.Params["dibao_standard_urban"])
	assert.Equal(t, [2]string{"低收入家庭", "low-income family"}, labels.Params["def.low_income_family"])

	// A reloaded pack with a renamed parameter: the page gets the new name.
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../../rules")))
	params := filepath.Join(dir, "parameters.yaml")
	b, err := os.ReadFile(params)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(params, bytes.Replace(b, []byte("zh: 城市低保标准"), []byte("zh: 城镇低保标准"), 1), 0o644))
	eng, err := engine.LoadDir(dir)
	require.NoError(t, err)
	srv.Swap(eng)
	w = do(t, srv, "GET", "/labels.json", "", nil)
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &labels))
	assert.Equal(t, [2]string{"城镇低保标准", "urban dibao standard"}, labels.Params["dibao_standard_urban"])
}

// TestBatchLongLine: a line over the limit is answered with S413, consumed
// whole, and the next line is answered as usual.
func TestBatchLongLine(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{MaxBody: 200})
	long := `{"id":"` + strings.Repeat("x", 300) + `"}`
	body := long + "\n" + `{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":9}}]}` + "\n"
	w := do(t, srv, "POST", "/v1/evaluate/batch", "application/x-ndjson", []byte(body))
	require.Equal(t, 200, w.Code)
	var lines []httpapi.BatchLine
	for _, l := range strings.Split(strings.TrimSpace(w.Body.String()), "\n") {
		var b httpapi.BatchLine
		require.NoError(t, json.Unmarshal([]byte(l), &b))
		lines = append(lines, b)
	}
	require.Len(t, lines, 2)
	assert.Equal(t, "S413", lines[0].Problem.Code)
	assert.Equal(t, 2, lines[1].Line)
	assert.Equal(t, "S422", lines[1].Problem.Code)
}

// TestBatchLineMatchesEvaluate: a batch answers a household with the same
// result, byte for byte, as /v1/evaluate, wrapped in its line number and
// decision id.
func TestBatchLineMatchesEvaluate(t *testing.T) {
	schema := schemas(t)
	log, err := httpapi.OpenDecisionLog(filepath.Join(t.TempDir(), "decisions.jsonl"), false)
	require.NoError(t, err)
	defer log.Close()
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{Log: log, Now: func() time.Time { return today }})
	one := bytes.ReplaceAll(household(t, "dashiqiao-intake.json"), []byte("\n"), []byte(" "))
	single := do(t, srv, "POST", "/v1/evaluate?as_of=2025-06-30", "application/json", one)
	require.Equal(t, 200, single.Code)
	batch := do(t, srv, "POST", "/v1/evaluate/batch?as_of=2025-06-30", "application/x-ndjson", one)
	require.Equal(t, 200, batch.Code)
	line := batch.Body.Bytes()
	conforms(t, schema("BatchLine"), line)
	var l httpapi.BatchLine
	require.NoError(t, json.Unmarshal(line, &l))
	require.Len(t, l.DecisionID, 32)
	want := `{"line":1,"decision_id":"` + l.DecisionID + `","result":` + strings.TrimSuffix(single.Body.String(), "\n") + "}\n"
	assert.Equal(t, want, string(line))
}

// TestAnswersMatchEngine sends generated households one after another, as
// single requests and as one batch, and each answer must be the engine's
// own result in new memory, byte for byte: the server makes each answer
// over the memory of one already sent (engine.Into), which must never show.
func TestAnswersMatchEngine(t *testing.T) {
	eng := testengine.Engine(t)
	srv := httpapi.New(eng, httpapi.Options{})
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	var batch, want bytes.Buffer
	n := 0
	_, err := rollgen.Generate(eng, rollgen.Config{Households: 60, Seed: 5, AsOf: asOf, Plant: map[audit.Class]int{}}, func(e *audit.Entry) error {
		body, err := json.Marshal(e.Household)
		require.NoError(t, err)
		res, err := eng.Evaluate(context.Background(), e.Household, engine.AsOf(asOf))
		require.NoError(t, err)
		enc := eng.AppendJSON(nil, res)
		got := do(t, srv, "POST", "/v1/evaluate?as_of=2025-06-30", "application/json", body)
		require.Equal(t, 200, got.Code, got.Body.String())
		require.Equal(t, string(enc)+"\n", got.Body.String(), "household %s", e.Household.ID)
		n++
		batch.Write(append(body, '\n'))
		fmt.Fprintf(&want, `{"line":%d,"result":%s}`+"\n", n, enc)
		return nil
	})
	require.NoError(t, err)
	got := do(t, srv, "POST", "/v1/evaluate/batch?as_of=2025-06-30", "application/x-ndjson", batch.Bytes())
	require.Equal(t, 200, got.Code)
	assert.Equal(t, want.String(), got.Body.String())
	assert.Equal(t, 60, n)
}

// TestProblemNamesFieldsInWords: each problem of a record carries its
// code's summary and the field's label in Chinese and English, for a
// caseworker who does not read field paths.
func TestProblemNamesFieldsInWords(t *testing.T) {
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	w := do(t, srv, "POST", "/v1/evaluate", "application/json",
		[]byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1"},{"id":"M2","disability":{"grade":5},"colour":"red"}]}`))
	require.Equal(t, 422, w.Code)
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
	byField := map[string]httpapi.FieldError{}
	for _, e := range p.Errors {
		byField[e.Field] = e
	}
	grade := byField["members[1].disability.grade"]
	assert.Equal(t, "H011", grade.Code)
	assert.Contains(t, grade.Message, "got 5")
	assert.Equal(t, "残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）；填写的是 5", grade.MessageZh)
	assert.Equal(t, "残疾等级不是一至四级", grade.Summary.Zh)
	assert.Equal(t, "disability grade is not 1 to 4", grade.Summary.En)
	require.NotNil(t, grade.Label)
	assert.Equal(t, "第 2 位成员：残疾等级", grade.Label.Zh)
	assert.Equal(t, "member 2: disability grade", grade.Label.En)

	unknown := byField["members[1].colour"]
	assert.Equal(t, "H002", unknown.Code)
	assert.Equal(t, `格式中没有字段 "colour"`, unknown.MessageZh)
	assert.Equal(t, "记录中有格式未定义的字段", unknown.Summary.Zh)
	assert.Nil(t, unknown.Label, "a field the record does not have has no label")
}

// TestValidate: /v1/validate gives a record back as the engine reads it,
// codes for the names it gives; each example household, given back so,
// is evaluated to the same result as given; and nothing is written to the
// decision log, for nothing was decided.
func TestValidate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	log, err := httpapi.OpenDecisionLog(path, false)
	require.NoError(t, err)
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{Log: log, Now: func() time.Time { return today }})

	named := `{"id":"H","jurisdiction":"山东省临清市","residence":"农村","as_of":"2025年6月30日","status":["低保户"],"property_test":"符合",
"members":[{"id":"M1","relation":"户主","birth_date":"1990/5/1","disability":{"category":"肢体残疾","grade":"二级","certificate_valid":"是"},
"employment":{"status":"失业"},"work_capacity":"部分丧失劳动能力","education":{"stage":"不在学"},"needs":["康复"],"income":{"wages":"￥1,059.00"}}]}`
	w := do(t, srv, "POST", "/v1/validate", "application/json", []byte(named))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.JSONEq(t, `{"household":{"id":"H","jurisdiction":"371581","residence":"rural","as_of":"2025-06-30","status":["dibao"],"property_test":"pass",
"members":[{"id":"M1","relation":"head","birth_date":"1990-05-01","disability":{"category":"physical","grade":2,"certificate_valid":true},
"employment":{"status":"unemployed"},"work_capacity":"partial_loss","education":{"stage":"none"},"needs":["rehabilitation"],"income":{"wages":"1059.00"}}]},"warnings":[]}`,
		w.Body.String())

	files, _ := filepath.Glob("../../testdata/households/*")
	require.NotEmpty(t, files)
	for _, f := range files {
		given := household(t, filepath.Base(f))
		w := do(t, srv, "POST", "/v1/validate", "application/yaml", given)
		require.Equal(t, 200, w.Code, "%s: %s", f, w.Body.String())
		var checked struct{ Household json.RawMessage }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &checked))
		asGiven := do(t, srv, "POST", "/v1/evaluate?lean=true", "application/yaml", given)
		asRead := do(t, srv, "POST", "/v1/evaluate?lean=true", "application/json", checked.Household)
		require.Equal(t, 200, asRead.Code, "%s: %s", f, asRead.Body.String())
		assert.Equal(t, asGiven.Body.String(), asRead.Body.String(), "%s: the record as read is evaluated as the record given", f)
	}

	require.NoError(t, log.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 2*len(files), bytes.Count(data, []byte("\n")), "the evaluations are logged, the checks not")
}
