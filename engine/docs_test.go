package engine_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// TestReadmeListsEveryFuzzTarget: the README's Tests section names each
// fuzz target of the module, so none is forgotten when fuzzing by hand.
func TestReadmeListsEveryFuzzTarget(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	fuzz := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	n := 0
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bench" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir // the bench module has its own go.mod
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fuzz.FindAllSubmatch(src, -1) {
			n++
			assert.True(t, bytes.Contains(readme, m[1]), "%s: README.md names no %s", path, m[1])
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 5, "fuzz targets found")
}
