package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"entitle/engine/facts"
	"entitle/engine/internal/jsonstr"
	"entitle/engine/rulepack"
)

// AppendJSON appends r to dst as JSON: byte for byte what encoding/json
// writes for it with HTML escaping off (json.Encoder.SetEscapeHTML(false)),
// without the final newline, but several times faster, because the texts
// of the engine's pack (quotes, titles, labels, names) were escaped once,
// when it was loaded. The HTTP API answers with it.
func (e *Engine) AppendJSON(dst []byte, r *Result) []byte {
	w := resultWriter{e.texts}
	return w.result(dst, r)
}

// verifyJSON makes every evaluation compare AppendJSON with encoding/json
// and record any difference (a test hook).
var (
	verifyJSON     bool
	jsonMu         sync.Mutex
	jsonMismatches []string
)

func (e *Engine) checkJSON(r *Result) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(r)
	want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if got := e.AppendJSON(nil, r); err != nil || !bytes.Equal(got, want) {
		jsonMu.Lock()
		jsonMismatches = append(jsonMismatches, fmt.Sprintf("household %s: AppendJSON\n%s\nencoding/json (%v)\n%s", r.Household, got, err, want))
		jsonMu.Unlock()
	}
}

// encodedTexts are the JSON encodings of the texts a result copies from the
// pack and the engine, found by where their bytes are (see jsonstr.Cache):
// single strings, bilingual texts and whole citations. Missing one only
// costs speed: the lookups never change what is written.
type encodedTexts struct {
	strings   *jsonstr.Cache
	texts     *jsonstr.Table[encoded[rulepack.Text]]
	citations *jsonstr.Table[encoded[CitationOut]]
}

// encoded is a value and its encoding.
type encoded[T any] struct {
	v   T
	enc string
}

// makeEncodedTexts encodes the texts gathered by packTexts.
func (e *Engine) makeEncodedTexts() *encodedTexts {
	strs, texts, cites := e.packTexts()
	et := &encodedTexts{strings: jsonstr.NewCache(strs),
		texts: jsonstr.NewTable[encoded[rulepack.Text]](len(texts)), citations: jsonstr.NewTable[encoded[CitationOut]](len(cites))}
	plain := resultWriter{}
	for _, t := range texts {
		if t.Zh != "" && t.En != "" {
			et.texts.Put(jsonstr.PairKey(t.Zh, t.En), encoded[rulepack.Text]{t, string(plain.text(nil, t))})
		}
	}
	for _, c := range cites {
		if c.Rule != "" && c.Quote != "" {
			et.citations.Put(jsonstr.PairKey(c.Rule, c.Quote), encoded[CitationOut]{c, string(plain.citation(nil, &c))})
		}
	}
	return et
}

// packTexts gathers the texts a result copies from the pack and the engine
// (names, labels, quotes, caveats, citations) for the encoder.
func (e *Engine) packTexts() (strs []string, texts []rulepack.Text, cites []CitationOut) {
	seen := map[any]bool{}
	textType, citeType := reflect.TypeFor[rulepack.Text](), reflect.TypeFor[CitationOut]()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Type() {
		case textType:
			texts = append(texts, v.Interface().(rulepack.Text))
		case citeType:
			cites = append(cites, v.Interface().(CitationOut))
		}
		switch v.Kind() {
		case reflect.String:
			if v.Len() >= jsonstr.MinCached {
				strs = append(strs, v.String())
			}
		case reflect.Interface:
			walk(v.Elem())
		case reflect.Pointer:
			if v.IsNil() || seen[v.Interface()] || !strings.HasPrefix(v.Type().Elem().PkgPath(), "entitle/") {
				return
			}
			seen[v.Interface()] = true
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Key())
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(e.pack))
	// Walk reads exported fields only: these have none.
	for _, t := range e.ruleTexts {
		walk(reflect.ValueOf([]any{t.citations, t.strongerOpen, t.planEnded, t.openRemark}))
	}
	for _, show := range e.condShows {
		for _, v := range show.vars {
			walk(reflect.ValueOf(v.label))
		}
		for _, v := range show.listed {
			walk(reflect.ValueOf(v.label))
		}
	}
	fc := fixedCaveats
	walk(reflect.ValueOf([]any{fc.concernOpen, fc.restsOnDiscretion, fc.exceptionOpen, fc.amountUnknown, fc.may, fc.planned}))
	walk(reflect.ValueOf(fieldLabels))
	walk(reflect.ValueOf(facts.All()))
	walk(reflect.ValueOf([]any{e.notDet.noRules, e.notDet.noSubject}))
	return strs, texts, cites
}

// resultWriter writes the result types in the order and with the omissions
// their json tags give.
// A writer without texts escapes every string.
type resultWriter struct{ texts *encodedTexts }

func (w resultWriter) str(dst []byte, s string) []byte { return w.cache().Append(dst, s) }

// cache is where the kept encodings of single strings are; nil, for a
// writer without texts, keeps none.
func (w resultWriter) cache() *jsonstr.Cache {
	if w.texts == nil {
		return nil
	}
	return w.texts.strings
}

func (w resultWriter) text(dst []byte, t rulepack.Text) []byte {
	if w.texts != nil {
		if e, ok := w.texts.texts.Get(jsonstr.PairKey(t.Zh, t.En)); ok && e.v == t {
			return append(dst, e.enc...)
		}
	}
	dst = append(dst, `{"zh":`...)
	dst = w.str(dst, t.Zh)
	dst = append(dst, `,"en":`...)
	dst = w.str(dst, t.En)
	return append(dst, '}')
}

func (w resultWriter) strings(dst []byte, list []string) []byte {
	return w.cache().AppendStrings(dst, list)
}

// list appends a slice: null when nil, as encoding/json writes it.
func list[T any](w resultWriter, dst []byte, items []T, item func(resultWriter, []byte, *T) []byte) []byte {
	if items == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = item(w, dst, &items[i])
	}
	return append(dst, ']')
}

func (w resultWriter) result(dst []byte, r *Result) []byte {
	if r == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"schema_version":`...)
	dst = w.str(dst, r.SchemaVersion)
	dst = append(dst, `,"household":`...)
	dst = w.str(dst, r.Household)
	dst = append(dst, `,"jurisdiction":{"code":`...)
	dst = w.str(dst, r.Jurisdiction.Code)
	dst = append(dst, `,"name":`...)
	dst = w.text(dst, r.Jurisdiction.Name)
	dst = append(dst, `},"as_of":`...)
	dst = w.str(dst, r.AsOf)
	dst = append(dst, `,"rule_pack":{"id":`...)
	dst = w.str(dst, r.RulePack.ID)
	dst = append(dst, `,"version":`...)
	dst = w.str(dst, r.RulePack.Version)
	dst = append(dst, `,"hash":`...)
	dst = w.str(dst, r.RulePack.Hash)
	dst = append(dst, `},"example_values":`...)
	dst = w.strings(dst, r.ExampleValues)
	dst = append(dst, `,"derived":`...)
	dst = list(w, dst, r.Derived, resultWriter.derived)
	dst = append(dst, `,"determinations":`...)
	dst = list(w, dst, r.Determinations, resultWriter.determination)
	dst = append(dst, `,"checklist":`...)
	dst = list(w, dst, r.Checklist, resultWriter.question)
	dst = append(dst, `,"not_determined":`...)
	dst = list(w, dst, r.NotDetermined, resultWriter.notDetermined)
	dst = append(dst, `,"warnings":`...)
	dst = list(w, dst, r.Warnings, resultWriter.warning)
	return append(dst, '}')
}

func (w resultWriter) notDetermined(dst []byte, n *NotDetermined) []byte {
	dst = append(dst, `{"benefit":`...)
	dst = w.str(dst, n.Benefit)
	if n.BenefitName != (rulepack.Text{}) {
		dst = append(dst, `,"benefit_name":`...)
		dst = w.text(dst, n.BenefitName)
	}
	dst = append(dst, `,"why":`...)
	dst = w.str(dst, n.Why)
	if n.Text != nil {
		dst = append(dst, `,"text":`...)
		dst = w.text(dst, *n.Text)
	}
	if len(n.Citations) > 0 {
		dst = append(dst, `,"citations":`...)
		dst = list(w, dst, n.Citations, resultWriter.citation)
	}
	return append(dst, '}')
}

func (w resultWriter) derived(dst []byte, d *DerivedFact) []byte {
	dst = append(dst, `{"name":`...)
	dst = w.str(dst, d.Name)
	if d.Member != "" {
		dst = append(dst, `,"member":`...)
		dst = w.str(dst, d.Member)
	}
	dst = append(dst, `,"label":`...)
	dst = w.text(dst, d.Label)
	dst = append(dst, `,"value":`...)
	dst = w.value(dst, d.Value)
	dst = append(dst, `,"display":`...)
	dst = w.str(dst, d.Display)
	if d.Unit != "" {
		dst = append(dst, `,"unit":`...)
		dst = w.str(dst, d.Unit)
	}
	if len(d.Missing) > 0 {
		dst = append(dst, `,"missing":`...)
		dst = list(w, dst, d.Missing, resultWriter.missing)
	}
	if d.Example {
		dst = append(dst, `,"example":true`...)
	}
	return append(dst, '}')
}

// value writes a derived fact's value; a kind the engine does not make goes
// to encoding/json.
func (w resultWriter) value(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case bool:
		return strconv.AppendBool(dst, x)
	case string:
		return w.str(dst, x)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(dst, "null"...)
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

func (w resultWriter) determination(dst []byte, d *Determination) []byte {
	dst = append(dst, `{"benefit":`...)
	dst = w.str(dst, d.Benefit)
	dst = append(dst, `,"benefit_name":`...)
	dst = w.text(dst, d.BenefitName)
	dst = append(dst, `,"subject":`...)
	dst = w.str(dst, d.Subject)
	dst = append(dst, `,"status":`...)
	dst = w.str(dst, string(d.Status))
	if d.Modality != "" {
		dst = append(dst, `,"modality":`...)
		dst = w.str(dst, string(d.Modality))
	}
	if a := d.Amount; a != nil {
		dst = append(dst, `,"amount":{"fen":`...)
		dst = strconv.AppendInt(dst, a.Fen, 10)
		dst = append(dst, `,"yuan":`...)
		dst = w.str(dst, a.Yuan)
		dst = append(dst, `,"per":`...)
		dst = w.str(dst, a.Per)
		dst = append(dst, `,"example":`...)
		dst = strconv.AppendBool(dst, a.Example)
		dst = append(dst, '}')
	}
	if p := d.Period; p != nil {
		dst = append(dst, `,"period":{"from":`...)
		dst = w.str(dst, p.From)
		dst = append(dst, `,"to":`...)
		dst = w.str(dst, p.To)
		dst = append(dst, '}')
	}
	dst = append(dst, `,"rules":`...)
	dst = w.strings(dst, d.Rules)
	dst = append(dst, `,"citations":`...)
	dst = list(w, dst, d.Citations, resultWriter.citation)
	dst = append(dst, `,"reasons":`...)
	dst = list(w, dst, d.Reasons, resultWriter.reason)
	dst = append(dst, `,"missing":`...)
	dst = list(w, dst, d.Missing, resultWriter.missing)
	dst = append(dst, `,"caveats":`...)
	dst = list(w, dst, d.Caveats, resultWriter.caveat)
	if len(d.ExampleValues) > 0 {
		dst = append(dst, `,"example_values":`...)
		dst = w.strings(dst, d.ExampleValues)
	}
	if len(d.Errors) > 0 {
		dst = append(dst, `,"errors":`...)
		dst = w.strings(dst, d.Errors)
	}
	if len(d.Trace) > 0 {
		dst = append(dst, `,"trace":`...)
		dst = list(w, dst, d.Trace, resultWriter.ruleTrace)
	}
	return append(dst, '}')
}

func (w resultWriter) citation(dst []byte, c *CitationOut) []byte {
	if w.texts != nil {
		if e, ok := w.texts.citations.Get(jsonstr.PairKey(c.Rule, c.Quote)); ok && e.v == *c {
			return append(dst, e.enc...)
		}
	}
	dst = append(dst, `{"rule":`...)
	dst = w.str(dst, c.Rule)
	dst = append(dst, `,"doc":`...)
	dst = w.str(dst, c.Doc)
	dst = append(dst, `,"title":`...)
	dst = w.str(dst, c.Title)
	if c.Number != "" {
		dst = append(dst, `,"number":`...)
		dst = w.str(dst, c.Number)
	}
	if c.Section != "" {
		dst = append(dst, `,"section":`...)
		dst = w.str(dst, c.Section)
	}
	dst = append(dst, `,"quote":`...)
	dst = w.str(dst, c.Quote)
	dst = append(dst, `,"provenance":`...)
	dst = w.str(dst, c.Provenance)
	if c.PlanPeriod != "" {
		dst = append(dst, `,"plan_period":`...)
		dst = w.str(dst, c.PlanPeriod)
	}
	return append(dst, '}')
}

// optional appends ,"name":"s" when s is not empty.
func (w resultWriter) optional(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return w.str(dst, s)
}

func (w resultWriter) reason(dst []byte, r *Reason) []byte {
	dst = append(dst, `{"rule":`...)
	dst = w.str(dst, r.Rule)
	dst = append(dst, `,"condition":`...)
	dst = w.str(dst, r.Condition)
	dst = append(dst, `,"label":`...)
	dst = w.text(dst, r.Label)
	dst = append(dst, `,"effect":`...)
	dst = w.str(dst, r.Effect)
	dst = w.optional(dst, "actual", r.Actual)
	dst = w.optional(dst, "op", r.Op)
	dst = w.optional(dst, "expected", r.Expected)
	dst = w.optional(dst, "unit", r.Unit)
	if len(r.Facts) > 0 {
		dst = append(dst, `,"facts":`...)
		dst = list(w, dst, r.Facts, resultWriter.factValue)
	}
	return append(dst, '}')
}

func (w resultWriter) factValue(dst []byte, f *FactValue) []byte {
	dst = append(dst, `{"name":`...)
	dst = w.str(dst, f.Name)
	dst = append(dst, `,"label":`...)
	dst = w.text(dst, f.Label)
	dst = append(dst, `,"value":`...)
	dst = w.str(dst, f.Value)
	dst = w.optional(dst, "unit", f.Unit)
	return append(dst, '}')
}

func (w resultWriter) missing(dst []byte, m *Missing) []byte {
	return append(w.missingFields(dst, m), '}')
}

// missingFields opens an object with a Missing's fields, which a Question
// continues.
func (w resultWriter) missingFields(dst []byte, m *Missing) []byte {
	dst = append(dst, `{"field":`...)
	dst = w.str(dst, m.Field)
	dst = w.optional(dst, "member", m.Member)
	dst = append(dst, `,"label":`...)
	return w.text(dst, m.Label)
}

func (w resultWriter) question(dst []byte, q *Question) []byte {
	dst = w.missingFields(dst, &q.Missing)
	dst = append(dst, `,"benefits":`...)
	dst = w.strings(dst, q.Benefits)
	return append(dst, '}')
}

func (w resultWriter) caveat(dst []byte, c *Caveat) []byte {
	dst = append(dst, `{"code":`...)
	dst = w.str(dst, c.Code)
	dst = append(dst, `,"text":`...)
	dst = w.text(dst, c.Text)
	dst = w.optional(dst, "rule", c.Rule)
	if c.Conditional {
		dst = append(dst, `,"conditional":true`...)
	}
	if len(c.Citations) > 0 {
		dst = append(dst, `,"citations":`...)
		dst = list(w, dst, c.Citations, resultWriter.citation)
	}
	return append(dst, '}')
}

func (w resultWriter) ruleTrace(dst []byte, t *RuleTrace) []byte {
	dst = append(dst, `{"rule":`...)
	dst = w.str(dst, t.Rule)
	dst = append(dst, `,"effect":`...)
	dst = w.str(dst, t.Effect)
	dst = append(dst, `,"modality":`...)
	dst = w.str(dst, t.Modality)
	dst = append(dst, `,"in_force":`...)
	dst = strconv.AppendBool(dst, t.InForce)
	dst = w.optional(dst, "overridden_by", t.Overridden)
	dst = append(dst, `,"outcome":`...)
	dst = w.str(dst, t.Outcome)
	if len(t.Conditions) > 0 {
		dst = append(dst, `,"conditions":`...)
		dst = list(w, dst, t.Conditions, resultWriter.conditionTrace)
	}
	return append(dst, '}')
}

func (w resultWriter) conditionTrace(dst []byte, c *ConditionTrace) []byte {
	dst = append(dst, `{"id":`...)
	dst = w.str(dst, c.ID)
	dst = append(dst, `,"label":`...)
	dst = w.text(dst, c.Label)
	dst = append(dst, `,"expr":`...)
	dst = w.str(dst, c.Expr)
	dst = append(dst, `,"value":`...)
	dst = w.str(dst, c.Value)
	dst = w.optional(dst, "actual", c.Actual)
	dst = w.optional(dst, "op", c.Op)
	dst = w.optional(dst, "expected", c.Expected)
	if len(c.Missing) > 0 {
		dst = append(dst, `,"missing":`...)
		dst = w.strings(dst, c.Missing)
	}
	return append(dst, '}')
}

func (w resultWriter) warning(dst []byte, x *Warning) []byte {
	dst = append(dst, `{"code":`...)
	dst = w.str(dst, x.Code)
	dst = w.optional(dst, "field", x.Field)
	dst = append(dst, `,"message":`...)
	dst = w.str(dst, x.Message)
	dst = w.optional(dst, "message_zh", x.MessageZh)
	if x.Summary != nil {
		dst = append(dst, `,"summary":`...)
		dst = w.text(dst, *x.Summary)
	}
	if x.Label != nil {
		dst = append(dst, `,"label":`...)
		dst = w.text(dst, *x.Label)
	}
	return append(dst, '}')
}
