// Package httpapi serves the engine over HTTP: evaluate one household or a
// stream of them, list benefits and rules with their source text, and a
// caseworker's web page. Every evaluation served can be appended to a
// decision log. The OpenAPI document is openapi.json, served at
// /openapi.json.
package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/jsonstr"
	"entitle/engine/internal/lines"
	"entitle/engine/report"
	"entitle/engine/rulepack"
	"entitle/engine/sources"
)

//go:embed openapi.json
var openAPIFile []byte

// openAPI is the published document: openapi.json with the household
// record's schema (household.SchemaJSON) as components.schemas.Household,
// the schema of the request bodies. It is kept in one place, the household
// package, and joined here.
var openAPI = withHousehold(openAPIFile)

// OpenAPI returns the published OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPI }

// withHousehold puts the household schema first among doc's
// components.schemas.
func withHousehold(doc []byte) []byte {
	anchor := []byte(`"schemas": {` + "\n")
	i := bytes.Index(doc, anchor)
	var schema bytes.Buffer
	if i < 0 || json.Compact(&schema, household.SchemaJSON) != nil {
		panic("httpapi: openapi.json has no components.schemas, or the household schema is not JSON")
	}
	i += len(anchor)
	out := append([]byte(nil), doc[:i]...)
	out = append(out, `   "Household": `...)
	out = append(out, schema.Bytes()...)
	out = append(out, ",\n"...)
	return append(out, doc[i:]...)
}

// Options configure a Server.
type Options struct {
	// MaxBody is the largest request body of /v1/evaluate (default 1 MiB);
	// a batch may be MaxBatchBody (default 256 MiB).
	MaxBody, MaxBatchBody int64
	// Deadline bounds one household's evaluation, its wait for a turn
	// included (default 2 s).
	Deadline time.Duration
	// MaxConcurrent is how many evaluations run at once (default
	// GOMAXPROCS, the cores Go uses). More wait their turn, first come
	// first served: with more requests than cores each then finishes in
	// turn, instead of all slowing down together, and a burst queues
	// instead of taking the memory of all its evaluations at once.
	MaxConcurrent int
	// Token, if set, is required as "Authorization: Bearer TOKEN" on /v1/.
	Token string
	// Log, if set, records every evaluation served.
	Log *DecisionLog
	// Logger receives request errors (default: discard).
	Logger *slog.Logger
	// Now is the clock of the decision log (default time.Now).
	Now func() time.Time
}

// Server answers HTTP requests with one engine, which Swap replaces
// atomically: requests in flight finish on the engine they started with.
type Server struct {
	eng atomic.Pointer[engine.Engine]
	// pageLabels is /labels.json for the engine it was made from.
	pageLabels atomic.Pointer[encodedLabels]
	opt        Options
	mux        *http.ServeMux
	// turns holds a token for each evaluation running (MaxConcurrent).
	turns chan struct{}
}

// New makes a server for an engine.
func New(eng *engine.Engine, opt Options) *Server {
	if opt.MaxBody == 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.MaxBatchBody == 0 {
		opt.MaxBatchBody = 256 << 20
	}
	if opt.Deadline == 0 {
		opt.Deadline = 2 * time.Second
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = runtime.GOMAXPROCS(0)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Server{opt: opt, mux: http.NewServeMux(), turns: make(chan struct{}, opt.MaxConcurrent)}
	s.eng.Store(eng)
	s.mux.HandleFunc("POST /v1/evaluate", s.auth(s.evaluate))
	s.mux.HandleFunc("POST /v1/evaluate/batch", s.auth(s.batch))
	s.mux.HandleFunc("POST /v1/validate", s.auth(s.validate))
	s.mux.HandleFunc("GET /v1/benefits", s.auth(s.benefits))
	s.mux.HandleFunc("GET /v1/jurisdictions", s.auth(s.jurisdictions))
	s.mux.HandleFunc("GET /v1/rules", s.auth(s.rules))
	s.mux.HandleFunc("GET /v1/rules/{id}", s.auth(s.rule))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	s.mux.HandleFunc("GET /labels.json", s.labels)
	web := webHandler()
	for _, p := range []string{"GET /{$}", "GET /index.html", "GET /app.js", "GET /style.css"} {
		s.mux.Handle(p, web)
	}
	return s
}

// HTTPServer returns an http.Server for the handler with the limits a
// public service needs: slow or stalled clients are cut off (headers within
// 5 s, a body within 60 s), idle connections closed after 2 minutes, headers
// at most 64 KiB.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 10 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.opt.Logger.Handler(), slog.LevelWarn)}
}

// Engine returns the engine now serving.
func (s *Server) Engine() *engine.Engine { return s.eng.Load() }

// Swap serves a new engine from the next request on.
func (s *Server) Swap(eng *engine.Engine) { s.eng.Store(eng) }

// ServeHTTP routes a request, answering unknown paths and methods with problems.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.opt.Logger.Error("panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeProblem(w, newProblem(http.StatusInternalServerError, "S500", "internal error", "服务器内部错误"))
		}
	}()
	h, pattern := s.mux.Handler(r)
	if pattern == "" {
		// The mux's own 404 and 405 answers are plain text: answer in kind.
		rec := &statusRecorder{}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeProblem(w, newProblem(http.StatusMethodNotAllowed, "S405", r.Method+" is not allowed on "+r.URL.Path, r.URL.Path+" 不接受 "+r.Method+" 请求"))
			return
		}
		writeProblem(w, newProblem(http.StatusNotFound, "S404", "no such path: "+r.URL.Path, "没有这个路径："+r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header {
	if r.header == nil {
		r.header = http.Header{}
	}
	return r.header
}
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(code int)        { r.status = code }

func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	if s.opt.Token == "" {
		return next
	}
	want := []byte("Bearer " + s.opt.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="entitle"`)
			writeProblem(w, newProblem(http.StatusUnauthorized, "S401", "a valid bearer token is required", "需要有效的访问令牌（Authorization: Bearer）"))
			return
		}
		next(w, r)
	}
}

// writeJSON sends v with status 200.
func writeJSON(w http.ResponseWriter, v any) { send(w, http.StatusOK, "application/json", v) }

// send encodes v into a pooled buffer and sends it in one write with its
// Content-Length: a result of tens of kilobytes then leaves in a few packets
// instead of a chunked stream of 4 KiB writes.
func send(w http.ResponseWriter, status int, contentType string, v any) {
	buf := getBuffer()
	defer putBuffer(buf)
	b := bytes.NewBuffer(buf.B)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "the response could not be encoded", http.StatusInternalServerError)
		return
	}
	buf.B = b.Bytes()
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(buf.B)))
	w.WriteHeader(status)
	w.Write(buf.B)
}

// buffer is a pooled byte slice for an answer.
type buffer struct{ B []byte }

var buffers = sync.Pool{New: func() any { return &buffer{B: make([]byte, 0, 64<<10)} }}

func getBuffer() *buffer { return buffers.Get().(*buffer) }

// scratches holds the memory of results already sent (engine.Into).
var scratches = sync.Pool{New: func() any { return new(engine.Scratch) }}

// putBuffer returns a buffer to the pool, unless a rare huge answer grew it.
func putBuffer(b *buffer) {
	if cap(b.B) <= 1<<20 {
		b.B = b.B[:0]
		buffers.Put(b)
	}
}

// evalQuery is an evaluation request's query, read once and checked.
type evalQuery struct {
	opts    []engine.EvalOption // as_of, explain, lean
	explain bool
	text    bool   // format=text
	lang    string // of the text report
}

// readEvalQuery reads as_of, explain, lean, lang and format from the query.
func readEvalQuery(r *http.Request) (evalQuery, *Problem) {
	q := r.URL.Query()
	opts, p := readAsOf(q)
	if p != nil {
		return evalQuery{}, p
	}
	var explain bool
	for _, name := range []string{"explain", "lean"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		on, err := strconv.ParseBool(v)
		if err != nil {
			return evalQuery{}, newProblem(http.StatusBadRequest, "S400", fmt.Sprintf("%s %q is not true or false", name, v),
				fmt.Sprintf("%s 的值 %q 应为 true 或 false", name, v))
		}
		if on && name == "explain" {
			opts, explain = append(opts, engine.Explain()), true
		}
		if on && name == "lean" {
			opts = append(opts, engine.Lean())
		}
	}
	lang := q.Get("lang")
	if lang != "" && lang != "zh" && lang != "en" {
		return evalQuery{}, newProblem(http.StatusBadRequest, "S400", fmt.Sprintf("lang %q is not zh or en", lang), fmt.Sprintf("lang 的值 %q 应为 zh 或 en", lang))
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "text" {
		return evalQuery{}, newProblem(http.StatusBadRequest, "S400", fmt.Sprintf("format %q is not json or text", format), fmt.Sprintf("format 的值 %q 应为 json 或 text", format))
	}
	return evalQuery{opts: opts, explain: explain, text: format == "text", lang: lang}, nil
}

// readAsOf reads the query's as_of, the date to evaluate or check on.
func readAsOf(q url.Values) ([]engine.EvalOption, *Problem) {
	v := q.Get("as_of")
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, "S400", fmt.Sprintf("as_of %q is not a date YYYY-MM-DD", v),
			fmt.Sprintf("评估日期 as_of %q 不是 YYYY-MM-DD 格式的日期", v))
	}
	return []engine.EvalOption{engine.AsOf(t)}, nil
}

// readBody reads a bounded body into buf.B.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, buf *buffer) ([]byte, *Problem) {
	b := bytes.NewBuffer(buf.B[:0])
	_, err := b.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	body := b.Bytes()
	buf.B = body
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, newProblem(http.StatusRequestEntityTooLarge, "S413", fmt.Sprintf("the body is larger than %d bytes", limit), fmt.Sprintf("请求内容超过 %d 字节", limit))
	case err != nil:
		return nil, newProblem(http.StatusBadRequest, "S400", "cannot read the body: "+err.Error(), "无法读取请求内容："+err.Error())
	}
	return body, nil
}

// evalRequest checks an evaluation request's media type against media
// (S415 with hint otherwise) and reads its options; it answers with the
// problem itself and reports whether to go on.
func evalRequest(w http.ResponseWriter, r *http.Request, hint, hintZh string, media ...string) (evalQuery, bool) {
	if !mediaOK(r, media...) {
		writeProblem(w, newProblem(http.StatusUnsupportedMediaType, "S415", hint, hintZh))
		return evalQuery{}, false
	}
	q, p := readEvalQuery(r)
	if p != nil {
		writeProblem(w, p)
		return evalQuery{}, false
	}
	return q, true
}

func mediaOK(r *http.Request, allowed ...string) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return true
	}
	ct = strings.TrimSpace(strings.Split(ct, ";")[0])
	for _, a := range allowed {
		if ct == a {
			return true
		}
	}
	return false
}

// recordMedia are the media types of one household record, for
// /v1/evaluate and /v1/validate; a request of another type is told
// recordHint (S415).
var recordMedia = []string{"application/json", "application/yaml", "application/x-yaml", "text/yaml"}

const (
	recordHint   = "send the household as application/json or application/yaml"
	recordHintZh = "请以 application/json 或 application/yaml 发送家庭记录"
)

// evaluate answers POST /v1/evaluate: one household record (JSON or YAML).
func (s *Server) evaluate(w http.ResponseWriter, r *http.Request) {
	eng := s.eng.Load()
	q, ok := evalRequest(w, r, recordHint, recordHintZh, recordMedia...)
	if !ok {
		return
	}
	// The body's buffer goes back to the pool when the answer is sent:
	// the household decoded from it, and its result, are gone by then.
	in := getBuffer()
	defer putBuffer(in)
	body, p := readBody(w, r, s.opt.MaxBody, in)
	if p != nil {
		writeProblem(w, p)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.Deadline)
	defer cancel()
	// The result is made in a pooled Scratch, given back once it is sent.
	sc := scratches.Get().(*engine.Scratch)
	defer scratches.Put(sc)
	d, p := s.decideInTurn(ctx, eng, body, "request", append(q.opts, engine.Into(sc)), !q.text)
	if d == nil && p == nil {
		return // the client went away
	}
	if p != nil {
		writeProblem(w, p)
		return
	}
	if d.id != "" {
		w.Header().Set("X-Decision-Id", d.id)
	}
	if q.text {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		report.Write(w, d.res, report.Options{Lang: q.lang, Explain: q.explain, Names: report.NamesOf(d.h), Pack: eng.Pack()})
		return
	}
	defer putBuffer(d.json)
	d.json.B = append(d.json.B, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(d.json.B)))
	w.Write(d.json.B)
}

// decode reads a record: JSON by the fast decoder, and anything it refuses
// (YAML, or a mistake to explain with its line and column) by the schema.
func decode(body []byte, file string) (*household.Household, error) {
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		if h, err := household.DecodeJSONFast(t); err == nil {
			return h, nil
		}
	}
	h, _, err := household.Decode(body, household.DecodeOptions{File: file})
	return h, err
}

// decision is one evaluation served.
type decision struct {
	h   *household.Household
	res *engine.Result
	id  string // in the decision log, if one is kept
	// json is the result encoded, when asked for (decideInTurn); the
	// caller returns it to the pool.
	json *buffer
}

// decideInTurn waits for a turn (Options.MaxConcurrent), then decides and,
// with encode, encodes the result as JSON, giving the turn back before
// anything is logged or sent: a turn is for work on a core, so neither a
// slow client nor a wait to write the decision log holds one. The wait
// counts against ctx's deadline. The decision is logged before it is
// returned, so nothing is answered that the log does not hold.
func (s *Server) decideInTurn(ctx context.Context, eng *engine.Engine, body []byte, file string, opts []engine.EvalOption, encode bool) (*decision, *Problem) {
	select {
	case s.turns <- struct{}{}:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, newProblem(http.StatusServiceUnavailable, "S408", "the server was busy: the evaluation could not start within its deadline",
				"服务器繁忙：认定未能在时限内开始，请稍后再试")
		}
		return nil, nil // the client went away
	}
	d, p := s.decide(ctx, eng, body, file, opts)
	if d != nil && encode {
		d.json = getBuffer()
		d.json.B = eng.AppendJSON(d.json.B, d.res)
	}
	<-s.turns
	if d != nil && s.opt.Log != nil {
		var err error
		if d.id, err = s.opt.Log.Append(s.opt.Now(), body, d.h, d.res); err != nil {
			s.opt.Logger.Error("decision log", "err", err)
			if d.json != nil {
				putBuffer(d.json)
			}
			return nil, newProblem(http.StatusInternalServerError, "S500", "the decision could not be logged", "决定未能记入决定日志")
		}
	}
	return d, p
}

// decide decodes, validates and evaluates one record, for
// /v1/evaluate and each line of /v1/evaluate/batch alike. It returns the
// decision, or the problem to answer with; neither when the client went
// away.
func (s *Server) decide(ctx context.Context, eng *engine.Engine, body []byte, file string, opts []engine.EvalOption) (*decision, *Problem) {
	h, err := decode(body, file)
	if err != nil {
		return nil, decodeProblem(err)
	}
	res, err := eng.Evaluate(ctx, h, opts...)
	var es household.Errors
	switch {
	case err == nil:
	case errors.As(err, &es):
		return nil, recordProblem(locate(body, file, es))
	case errors.Is(err, context.DeadlineExceeded):
		return nil, newProblem(http.StatusServiceUnavailable, "S408", "the evaluation did not finish within its deadline", "认定未能在时限内完成")
	case errors.Is(err, context.Canceled):
		return nil, nil
	default:
		s.opt.Logger.Error("evaluation", "err", err)
		return nil, newProblem(http.StatusInternalServerError, "S500", "evaluation failed", "认定失败")
	}
	return &decision{h: h, res: res}, nil
}

// locate places a record's problems in its text (the slow path, for bad
// records only): the schema's own account if it refuses the record, else
// the engine's problems with their lines.
func locate(body []byte, file string, es household.Errors) household.Errors {
	_, pos, err := household.Decode(body, household.DecodeOptions{File: file})
	if err != nil {
		errors.As(err, &es)
		return es
	}
	return pos.Place(es)
}

// decodeProblem is the problem of a record that could not be decoded.
func decodeProblem(err error) *Problem {
	var es household.Errors
	if errors.As(err, &es) {
		return recordProblem(es)
	}
	return newProblem(http.StatusBadRequest, "S400", err.Error(), "记录无法读取："+err.Error())
}

// validate answers POST /v1/validate: a record checked as /v1/evaluate
// checks it (the same problems, on the same date), without evaluating it
// or logging a decision, and given back as the engine reads it (codes for
// the names given, the jurisdiction's code), with its warnings: for a
// case-management system to check a record before it stores it.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	eng := s.eng.Load()
	if !mediaOK(r, recordMedia...) {
		writeProblem(w, newProblem(http.StatusUnsupportedMediaType, "S415", recordHint, recordHintZh))
		return
	}
	opts, p := readAsOf(r.URL.Query())
	if p != nil {
		writeProblem(w, p)
		return
	}
	in := getBuffer()
	defer putBuffer(in)
	body, p := readBody(w, r, s.opt.MaxBody, in)
	if p != nil {
		writeProblem(w, p)
		return
	}
	h, err := decode(body, "request")
	if err != nil {
		writeProblem(w, decodeProblem(err))
		return
	}
	checked, err := eng.Check(h, opts...)
	if err != nil {
		var es household.Errors
		if errors.As(err, &es) {
			writeProblem(w, recordProblem(locate(body, "request", es)))
		} else {
			s.opt.Logger.Error("validation", "err", err)
			writeProblem(w, newProblem(http.StatusInternalServerError, "S500", "validation failed", "记录检查失败"))
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(checked)
}

// BatchLine is one line of a /v1/evaluate/batch response: the result of the
// household on that line of the request, or its problem.
type BatchLine struct {
	Line       int            `json:"line"`
	DecisionID string         `json:"decision_id,omitempty"`
	Result     *engine.Result `json:"result,omitempty"`
	Problem    *Problem       `json:"problem,omitempty"`
}

// batch answers POST /v1/evaluate/batch: NDJSON in, NDJSON out, streamed in
// order. A bad line is answered with its problem; the others go on.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	eng := s.eng.Load()
	q, ok := evalRequest(w, r, "send one JSON household a line as application/x-ndjson", "请以 application/x-ndjson 发送，每行一条 JSON 家庭记录",
		"application/x-ndjson", "application/jsonl", "application/json")
	if !ok {
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.opt.MaxBatchBody)
	in := bufio.NewReaderSize(body, 64<<10)
	w.Header().Set("Content-Type", "application/x-ndjson")
	flusher, _ := w.(http.Flusher)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	buf := getBuffer()
	defer putBuffer(buf)
	// Each line's result is made in one Scratch, over the last line's,
	// which has been encoded and written by then.
	sc := scratches.Get().(*engine.Scratch)
	defer scratches.Put(sc)
	lineOpts := append(q.opts, engine.Into(sc))
	line := 0
	for {
		data, _, err := lines.Read(in, int(s.opt.MaxBody))
		if errors.Is(err, io.EOF) {
			return
		}
		line++
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			enc.Encode(BatchLine{Line: line, Problem: newProblem(http.StatusRequestEntityTooLarge, "S413", fmt.Sprintf("the batch is larger than %d bytes", s.opt.MaxBatchBody),
				fmt.Sprintf("批量请求超过 %d 字节", s.opt.MaxBatchBody))})
			return
		}
		if errors.Is(err, lines.ErrTooLong) {
			enc.Encode(BatchLine{Line: line, Problem: newProblem(http.StatusRequestEntityTooLarge, "S413", fmt.Sprintf("line %d is larger than %d bytes", line, s.opt.MaxBody),
				fmt.Sprintf("第 %d 行超过 %d 字节", line, s.opt.MaxBody))})
			continue
		}
		if err != nil {
			return // the client went away
		}
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.Deadline)
		d, p := s.decideInTurn(ctx, eng, data, "line "+strconv.Itoa(line), lineOpts, true)
		cancel()
		switch {
		case d != nil:
			// As encoding/json writes a BatchLine, with the result by the
			// engine's own encoder.
			buf.B = strconv.AppendInt(append(buf.B[:0], `{"line":`...), int64(line), 10)
			if d.id != "" {
				buf.B = jsonstr.Append(append(buf.B, `,"decision_id":`...), d.id)
			}
			buf.B = append(buf.B, `,"result":`...)
			if _, err = w.Write(buf.B); err == nil {
				if _, err = w.Write(d.json.B); err == nil {
					_, err = w.Write([]byte("}\n"))
				}
			}
			putBuffer(d.json)
		case p != nil:
			err = enc.Encode(BatchLine{Line: line, Problem: p})
		default:
			return // the client went away
		}
		if err != nil {
			return
		}
		if flusher != nil && line%16 == 0 {
			flusher.Flush()
		}
	}
}

// BenefitOut describes a benefit.
type BenefitOut struct {
	Code    string        `json:"code"`
	Name    rulepack.Text `json:"name"`
	Scope   string        `json:"scope"`
	Payment string        `json:"payment,omitempty"`
	// PaidAs and SeparateClaimTo are rulepack.Benefit's: the benefit whose
	// payment this one continues, and the household benefit this member
	// benefit claims alone.
	PaidAs          string `json:"paid_as,omitempty"`
	SeparateClaimTo string `json:"separate_claim_to,omitempty"`
}

// NewBenefitOut describes b as GET /v1/benefits lists it.
func NewBenefitOut(b *rulepack.Benefit) BenefitOut {
	return BenefitOut{Code: b.Code, Name: b.Name, Scope: b.Scope.String(), Payment: b.Payment,
		PaidAs: b.PaidAs, SeparateClaimTo: b.SeparateClaimTo}
}

func (s *Server) benefits(w http.ResponseWriter, r *http.Request) {
	p := s.eng.Load().Pack()
	out := []BenefitOut{}
	for _, b := range p.Benefits {
		out = append(out, NewBenefitOut(b))
	}
	writeJSON(w, map[string]any{"rule_pack": packOf(p), "benefits": out})
}

func packOf(p *rulepack.Pack) engine.Pack {
	return engine.Pack{ID: p.Meta.ID, Version: p.Meta.Version, Hash: p.Meta.Hash}
}

// JurisdictionOut describes a jurisdiction: the pack's own, as its JSON
// tags write it.
type JurisdictionOut = rulepack.Jurisdiction

func (s *Server) jurisdictions(w http.ResponseWriter, r *http.Request) {
	p := s.eng.Load().Pack()
	writeJSON(w, map[string]any{"rule_pack": packOf(p), "jurisdictions": append([]*JurisdictionOut{}, p.Jurisdictions...)})
}

// RuleOut describes a rule.
type RuleOut struct {
	ID           string `json:"id"`
	Benefit      string `json:"benefit"`
	Jurisdiction string `json:"jurisdiction"`
	Modality     string `json:"modality"`
	Effect       string `json:"effect"`
	// Starts is the first day the rule applies (YYYY-MM-DD), or only the
	// year (YYYY) when its documents give no date; absent when the texts
	// give neither. Ends is the last day, when the texts give one.
	Starts     string            `json:"starts,omitempty"`
	Ends       string            `json:"ends,omitempty"`
	Extends    string            `json:"extends,omitempty"`
	Overrides  []string          `json:"overrides,omitempty"`
	Citations  []CitationContext `json:"citations"`
	Conditions []ConditionOut    `json:"conditions"`
	Notes      string            `json:"notes,omitempty"`
	File       string            `json:"file"`
	Line       int               `json:"line"`
}

// CitationContext is a citation, with the document's title and, for a
// single rule, the text around the quote.
type CitationContext struct {
	Doc        string `json:"doc"`
	Title      string `json:"title"`
	Number     string `json:"number,omitempty"`
	Section    string `json:"section,omitempty"`
	Quote      string `json:"quote"`
	Provenance string `json:"provenance"`
	Before     string `json:"before,omitempty"`
	After      string `json:"after,omitempty"`
	// SentenceBefore and SentenceAfter are the parts of Before and After in
	// the quote's own sentence (sources.SentenceAround), … marking a cut
	// short of it: what a reader is shown around the quote.
	SentenceBefore string `json:"sentence_before,omitempty"`
	SentenceAfter  string `json:"sentence_after,omitempty"`
}

// ConditionOut is one condition of a rule.
type ConditionOut struct {
	ID    string        `json:"id"`
	Label rulepack.Text `json:"label"`
	Expr  string        `json:"expr"`
}

// RuleContext is how many characters of a rule's source text GET
// /v1/rules/{id} gives on each side of each quote.
const RuleContext = 120

// NewRuleOut describes a rule as GET /v1/rules answers; with context above
// 0, each citation also gives that many characters of the source text on
// each side of its quote (GET /v1/rules/{id}: RuleContext).
func NewRuleOut(p *rulepack.Pack, r *rulepack.Rule, context int) RuleOut {
	out := RuleOut{ID: r.ID, Benefit: r.Benefit, Jurisdiction: r.Jurisdiction, Modality: string(r.Modality), Effect: string(r.Effect),
		Starts: r.StartsText(), Extends: r.Extends, Overrides: r.Overrides, Citations: []CitationContext{}, Conditions: []ConditionOut{}, Notes: r.Notes, File: r.File, Line: r.Line}
	if r.Effective.To != nil {
		out.Ends = r.Effective.To.Format("2006-01-02")
	}
	for _, c := range r.AllCitations {
		cc := CitationContext{Doc: c.Doc, Section: c.Section, Quote: c.Quote, Provenance: c.Provenance}
		if d, ok := p.Document(c.Doc); ok {
			cc.Title, cc.Number = d.Title, d.Number
			if context > 0 && d.Text != nil {
				cc.Before, _, cc.After, _ = d.Text.Context(c.Quote, context)
				cc.SentenceBefore, cc.SentenceAfter = sources.SentenceAround(cc.Before, c.Quote, cc.After)
			}
		}
		out.Citations = append(out.Citations, cc)
	}
	for _, c := range r.AllConditions {
		out.Conditions = append(out.Conditions, ConditionOut{ID: c.ID, Label: c.Label, Expr: c.Expr.Src})
	}
	return out
}

func (s *Server) rules(w http.ResponseWriter, r *http.Request) {
	p := s.eng.Load().Pack()
	jur, benefit := r.URL.Query().Get("jurisdiction"), r.URL.Query().Get("benefit")
	body := map[string]any{"rule_pack": packOf(p)}
	if jur != "" {
		j, ok := p.ResolveJurisdiction(jur)
		if !ok {
			writeProblem(w, newProblem(http.StatusNotFound, "S404", fmt.Sprintf("jurisdiction %q is not in the rule pack", jur), fmt.Sprintf("规则包中没有行政区划 %q", jur)))
			return
		}
		jur = j.Code // ?jurisdiction=临清市 is 371581; 150781 is in 150700
		body["jurisdiction"] = j
	}
	if _, ok := p.Benefit(benefit); benefit != "" && !ok {
		writeProblem(w, newProblem(http.StatusNotFound, "S404", fmt.Sprintf("unknown benefit code %q", benefit), fmt.Sprintf("未知的待遇代码 %q", benefit)))
		return
	}
	out := []RuleOut{}
	for _, rl := range p.Rules {
		if benefit != "" && rl.Benefit != benefit {
			continue
		}
		if jur != "" && rl.Jurisdiction != "national" && rl.Jurisdiction != jur {
			continue
		}
		out = append(out, NewRuleOut(p, rl, 0))
	}
	body["rules"] = out
	writeJSON(w, body)
}

func (s *Server) rule(w http.ResponseWriter, r *http.Request) {
	p := s.eng.Load().Pack()
	rl, ok := p.Rule(r.PathValue("id"))
	if !ok {
		writeProblem(w, newProblem(http.StatusNotFound, "S404", fmt.Sprintf("no rule %q", r.PathValue("id")), fmt.Sprintf("没有规则 %q", r.PathValue("id"))))
		return
	}
	writeJSON(w, map[string]any{"rule_pack": packOf(p), "rule": NewRuleOut(p, rl, RuleContext)})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{"status": "ok", "rule_pack": packOf(s.eng.Load().Pack())})
}
