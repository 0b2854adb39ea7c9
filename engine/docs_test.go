package engine_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/httpapi"
	"entitle/engine/rulepack"
)

// TestEveryCodeHasAPage: each stable error and warning code has its page
// under docs/errors/.
func TestEveryCodeHasAPage(t *testing.T) {
	var codes []string
	for _, c := range household.Codes {
		codes = append(codes, string(c.Code))
	}
	for _, c := range rulepack.Codes {
		codes = append(codes, string(c.Code))
	}
	for _, c := range audit.Codes {
		codes = append(codes, c.Code)
	}
	for _, c := range httpapi.Codes {
		codes = append(codes, c.Code)
	}
	for _, c := range codes {
		_, err := os.Stat("../docs/errors/" + c + ".md")
		assert.NoError(t, err, "docs/errors/%s.md", c)
	}
	entries, err := os.ReadDir("../docs/errors")
	assert.NoError(t, err)
	assert.Equal(t, len(codes)+1, len(entries), "a page per code, plus README.md")
}
