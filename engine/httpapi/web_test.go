package httpapi_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hh "entitle/engine/household"
)

// TestWebPageWordsBothLanguages: every label of the caseworker's page, and
// every word its script shows, has an English text for the English switch
// and a Chinese one (from the page itself or the script's own list), so
// neither language falls back to a bare key.
func TestWebPageWordsBothLanguages(t *testing.T) {
	html, js := pageFiles(t)

	keysIn := func(re string, b []byte) map[string]bool {
		out := map[string]bool{}
		for _, m := range regexp.MustCompile(re).FindAllSubmatch(b, -1) {
			out[string(m[1])] = true
		}
		return out
	}
	object := func(start string) []byte {
		m := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(start) + `(.*?)\n}`).FindSubmatch(js)
		require.NotNil(t, m, "app.js has %q", start)
		return m[1]
	}
	labels := keysIn(`data-i18n="(\w+)"`, html)
	shown := keysIn(`\bt\("(\w+)"\)`, js)
	english := keysIn(`(\w+): "`, object("const EN = {"))
	chinese := keysIn(`(\w+): "`, object("Object.assign(ZH, {"))
	require.NotEmpty(t, labels)
	require.NotEmpty(t, shown)

	for k := range labels {
		assert.True(t, english[k], "label %q has no English text in app.js", k)
	}
	for k := range shown {
		assert.True(t, english[k], "word %q has no English text in app.js", k)
		assert.True(t, chinese[k] || labels[k], "word %q has no Chinese text", k)
	}
}

// TestWebFormCoversTheRecord: every field of the household record that a
// result may ask for can be entered in the form: formFields in app.js, from
// which the page builds the record and the checklist's buttons find their
// inputs, names an input for it that the page has. A question the page
// raises is one the caseworker can answer on it.
func TestWebFormCoversTheRecord(t *testing.T) {
	html, js := pageFiles(t)
	raw, err := os.ReadFile("../household/household.schema.json")
	require.NoError(t, err)
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       struct {
			Member struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"member"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(raw, &schema))
	// leaves lists an object's fields, a nested object's as parent.child.
	leaves := func(props map[string]json.RawMessage) []string {
		var out []string
		for name, p := range props {
			var nested struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			require.NoError(t, json.Unmarshal(p, &nested))
			if len(nested.Properties) == 0 {
				out = append(out, name)
				continue
			}
			for child := range nested.Properties {
				out = append(out, name+"."+child)
			}
		}
		return out
	}
	names := formInputs(t, js)
	notAsked := map[string]bool{"$schema": true, "schema_version": true, "id": true, "jurisdiction": true, "as_of": true, "members": true}
	check := func(part string, fields []string) {
		for _, f := range fields {
			if notAsked[f] {
				continue
			}
			input, ok := names[part][f]
			if assert.True(t, ok, "%s field %s has no input in formFields", part, f) {
				assert.Contains(t, string(html), `name="`+input+`"`, "%s field %s: the form has no input %q", part, f, input)
			}
		}
	}
	check("household", leaves(schema.Properties))
	check("member", leaves(schema.Defs.Member.Properties))
}

// formInputs reads formFields from app.js: for the household's fields and
// each member's ("household", "member"), the field's input name.
func formInputs(t *testing.T, js []byte) map[string]map[string]string {
	t.Helper()
	table := regexp.MustCompile(`(?s)const formFields = \{(.*?)\n\};`).FindSubmatch(js)
	require.NotNil(t, table, "app.js has formFields")
	object := func(start string) string {
		m := regexp.MustCompile(`(?s)\b` + regexp.QuoteMeta(start) + `(.*?)\}`).FindSubmatch(table[1])
		require.NotNil(t, m, "formFields has %q", start)
		return string(m[1])
	}
	names := map[string]map[string]string{}
	for part, start := range map[string]string{"household": "household: {", "member": "member: {"} {
		names[part] = map[string]string{}
		for _, m := range regexp.MustCompile(`"?([\w.]+)"?: \["(\w+)"`).FindAllStringSubmatch(object(start), -1) {
			names[part][m[1]] = m[2]
		}
		require.NotEmpty(t, names[part], part)
	}
	return names
}

// TestWebFormOffersEveryCode: for every enum field of the record, the
// form's select or checkboxes offer every code the record may hold (a
// grandparent, a household monitored for return to poverty), and the grade
// select offers 1 to 4: no value a record may give is one the caseworker
// cannot enter, or that a pasted record loses when the form takes it in.
func TestWebFormOffersEveryCode(t *testing.T) {
	html, js := pageFiles(t)
	inputs := formInputs(t, js)
	// offered lists the values an input offers: a select's options, or the
	// values of the checkboxes of that name.
	offered := func(name string) []string {
		var out []string
		if m := regexp.MustCompile(`(?s)<select name="` + name + `"[^>]*>(.*?)</select>`).FindStringSubmatch(string(html)); m != nil {
			for _, o := range regexp.MustCompile(`<option value="(\w*)"`).FindAllStringSubmatch(m[1], -1) {
				out = append(out, o[1])
			}
		}
		for _, o := range regexp.MustCompile(`name="`+name+`" value="(\w+)"`).FindAllStringSubmatch(string(html), -1) {
			out = append(out, o[1])
		}
		return out
	}
	require.NotEmpty(t, hh.EnumFields)
	for _, f := range hh.EnumFields {
		part, field := "household", strings.TrimSuffix(f.Path, "[]")
		if rest, ok := strings.CutPrefix(field, "members[]."); ok {
			part, field = "member", rest
		}
		input, ok := inputs[part][field]
		if !assert.True(t, ok, "%s: no input in formFields", f.Path) {
			continue
		}
		values := offered(input)
		for _, code := range f.Codes {
			assert.Contains(t, values, code, "%s: the form's %q does not offer %q", f.Path, input, code)
		}
	}
	assert.Subset(t, offered(inputs["member"]["disability.grade"]), []string{"1", "2", "3", "4"})
}

// pageFiles reads the page and its script.
func pageFiles(t *testing.T) (html, js []byte) {
	t.Helper()
	html, err := os.ReadFile("web/index.html")
	require.NoError(t, err)
	js, err = os.ReadFile("web/app.js")
	require.NoError(t, err)
	return html, js
}
