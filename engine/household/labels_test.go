package household

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEveryCodeHasALabel: every enum code a record may carry has a name in
// both languages, and its Chinese name is one a record may give for it, so
// what a result shows can be typed back into a record.
func TestEveryCodeHasALabel(t *testing.T) {
	for _, f := range EnumFields {
		for _, code := range f.Codes {
			zh, ok := ValueLabel(code, "zh")
			if !assert.True(t, ok, "%s: %s has no label", f.Path, code) {
				continue
			}
			en, _ := ValueLabel(code, "en")
			assert.NotEmpty(t, zh, "%s: %s", f.Path, code)
			assert.NotEmpty(t, en, "%s: %s", f.Path, code)
			assert.Equal(t, code, f.Names[zh], "%s: the Chinese label %q of %s is not a name a record may give", f.Path, zh, code)
		}
	}
	_, ok := ValueLabel("not a code", "zh")
	assert.False(t, ok)
	labels := ValueLabels()
	labels["urban"] = [2]string{"x", "y"}
	zh, _ := ValueLabel("urban", "zh")
	assert.Equal(t, "城镇", zh, "ValueLabels returns a copy")
}
