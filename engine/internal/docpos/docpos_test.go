package docpos_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.yaml.in/yaml/v3"

	"entitle/engine/internal/docpos"
)

// TestLinesAsYAMLCounts: the line a YAML node is on is its line in Lines,
// whichever line ending the file uses.
func TestLinesAsYAMLCounts(t *testing.T) {
	for name, data := range map[string]string{
		"lf":      "a: 1\nb: 2\nc: x\n",
		"crlf":    "a: 1\r\nb: 2\r\nc: x\r\n",
		"cr":      "a: 1\rb: 2\rc: x\r",
		"mixed":   "a: 1\r\nb: 2\rc: x\n",
		"no end":  "a: 1\nb: 2\nc: x",
		"blank":   "\r\n\ra: 1\n\nb: 2\rc: x",
		"unicode": "a: 一\rb: 二\r\nc: x",
		"nel":     "a: 1\u0085b: 2\nc: x",
		"ls, ps":  "a: 1\u2028b: 2\u2029c: x",
	} {
		t.Run(name, func(t *testing.T) {
			var root yaml.Node
			assert.NoError(t, yaml.Unmarshal([]byte(data), &root))
			doc := root.Content[0]
			c := doc.Content[len(doc.Content)-1]
			lines := docpos.Lines([]byte(data))
			if assert.LessOrEqual(t, c.Line, len(lines)) {
				assert.Equal(t, "c: x", lines[c.Line-1])
			}
		})
	}
}
