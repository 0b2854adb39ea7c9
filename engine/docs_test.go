package engine_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
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

// TestErrorIndexListsEveryPage: docs/errors/README.md has a row for each
// page, with the page's own English title and Chinese line, so that a new
// code's page cannot be left out of the index.
func TestErrorIndexListsEveryPage(t *testing.T) {
	index, err := os.ReadFile("../docs/errors/README.md")
	require.NoError(t, err)
	pages, err := filepath.Glob("../docs/errors/*.md")
	require.NoError(t, err)
	for _, p := range pages {
		code := strings.TrimSuffix(filepath.Base(p), ".md")
		if code == "README" {
			continue
		}
		page, err := os.ReadFile(p)
		require.NoError(t, err)
		lines := strings.Split(string(page), "\n")
		require.GreaterOrEqual(t, len(lines), 3, p)
		title := strings.TrimPrefix(lines[0], "# "+code+": ")
		row := "| [" + code + "](" + code + ".md) | " + title + " · " + lines[2] + " |"
		assert.Contains(t, string(index), row, "docs/errors/README.md lists %s", code)
	}
}

// TestPagesNameCodesInChinese: the Chinese line under each page's title is
// the code's Chinese summary that results, problems and reports give (a
// warning's or hint's marked （提示）), so the two cannot drift apart.
func TestPagesNameCodesInChinese(t *testing.T) {
	zh := map[string]string{}
	for _, c := range household.Codes {
		zh[string(c.Code)] = c.Zh
	}
	for _, c := range rulepack.Codes {
		zh[string(c.Code)] = c.Zh
	}
	for _, c := range audit.Codes {
		zh[c.Code] = c.Text.Zh
	}
	for _, c := range httpapi.Codes {
		zh[c.Code] = c.Zh
	}
	for code, want := range zh {
		page, err := os.ReadFile("../docs/errors/" + code + ".md")
		if !assert.NoError(t, err) {
			continue
		}
		lines := strings.Split(string(page), "\n")
		require.Greater(t, len(lines), 2, code)
		assert.Regexp(t, `\p{Han}`, want, code)
		assert.Contains(t, []string{want, want + "（提示）"}, lines[2], "docs/errors/%s.md", code)
	}
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

// TestReadmeExampleIsTheGolden: the worked example in README.md is an
// excerpt of what the command prints (its golden file): every line it
// shows, but for … and the elided hash, is there, in the same order.
func TestReadmeExampleIsTheGolden(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	cmd := regexp.MustCompile("(?s)```text\n\\$ go run ./cmd/entitle check testdata/households/([\\w-]+)\\.yaml\n(.*?)```")
	found := cmd.FindAllSubmatch(readme, -1)
	require.NotEmpty(t, found, "README.md has no worked example")
	for _, m := range found {
		golden, err := os.ReadFile("../testdata/golden/" + string(m[1]) + ".zh.txt")
		require.NoError(t, err)
		lines := strings.Split(string(golden), "\n")
		at := 0
		for _, l := range strings.Split(strings.TrimRight(string(m[2]), "\n"), "\n") {
			if strings.TrimSpace(l) == "…" || strings.Contains(l, "sha256:…") {
				continue
			}
			for at < len(lines) && lines[at] != l {
				at++
			}
			require.Less(t, at, len(lines), "README.md's example of %s shows a line the command does not print (or not there):\n%s", m[1], l)
			at++
		}
	}
}

// TestCaveatCodesDocumented: every caveat code the engine adds is a
// constant listed in CaveatCodes, and the README, the OpenAPI document and
// the pack tests' schema name each one.
func TestCaveatCodesDocumented(t *testing.T) {
	// The constants declared in result.go.
	f, err := parser.ParseFile(token.NewFileSet(), "result.go", nil, 0)
	require.NoError(t, err)
	var declared []string
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			if strings.HasPrefix(v.Names[0].Name, "Caveat") {
				lit := v.Values[0].(*ast.BasicLit)
				code, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				declared = append(declared, code)
			}
		}
	}
	require.Len(t, declared, 12, "caveat constants in result.go")
	assert.ElementsMatch(t, declared, engine.CaveatCodes)

	// Every caveat the engine adds takes its code from a constant.
	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, path := range sources {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		if !strings.HasSuffix(path, "_test.go") {
			assert.NotContains(t, string(src), `Code: "`, "%s: a caveat code literal; declare it in result.go", path)
		}
	}

	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	line := regexp.MustCompile("(?m)^- `caveats\\[\\]\\.code`:.*$").Find(readme)
	require.NotNil(t, line, "README.md lists the caveat codes")
	var doc struct {
		Components struct {
			Schemas struct {
				Caveat struct {
					Properties struct {
						Code struct {
							Description string `json:"description"`
						} `json:"code"`
					} `json:"properties"`
				} `json:"Caveat"`
			} `json:"schemas"`
		} `json:"components"`
	}
	raw, err := os.ReadFile("httpapi/openapi.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &doc))
	openapi := doc.Components.Schemas.Caveat.Properties.Code.Description
	tests, err := os.ReadFile("rulepack/schema/tests.schema.json")
	require.NoError(t, err)
	for _, code := range engine.CaveatCodes {
		assert.Contains(t, string(line), "`"+code+"`", "README.md")
		assert.Regexp(t, `\b`+code+`\b`, openapi, "openapi.json: Caveat.code")
		assert.Regexp(t, `\b`+code+`\b`, string(tests), "tests.schema.json: caveats")
	}
}

// TestDocLinksResolve: every relative link of the README and the pages under
// docs/ names a file or directory of the repository, so that a page moved or
// renamed leaves no reader at a dead link.
func TestDocLinksResolve(t *testing.T) {
	pages := []string{"../README.md"}
	require.NoError(t, filepath.WalkDir("../docs", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			pages = append(pages, path)
		}
		return err
	}))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)
	links := 0
	for _, page := range pages {
		text, err := os.ReadFile(page)
		require.NoError(t, err)
		for _, m := range link.FindAllSubmatch(text, -1) {
			target := string(m[1])
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			links++
			_, err := os.Stat(filepath.Join(filepath.Dir(page), target))
			assert.NoError(t, err, "%s links to %s", page, target)
		}
	}
	assert.Greater(t, links, 100, "the pages' relative links were found")
}
