package httpapi_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWebPageWordsBothLanguages: every label of the caseworker's page, and
// every word its script shows, has an English text for the English switch
// and a Chinese one (from the page itself or the script's own list), so
// neither language falls back to a bare key.
func TestWebPageWordsBothLanguages(t *testing.T) {
	html, err := os.ReadFile("web/index.html")
	require.NoError(t, err)
	js, err := os.ReadFile("web/app.js")
	require.NoError(t, err)

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
	html, err := os.ReadFile("web/index.html")
	require.NoError(t, err)
	js, err := os.ReadFile("web/app.js")
	require.NoError(t, err)
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
