package httpapi_test

import (
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
