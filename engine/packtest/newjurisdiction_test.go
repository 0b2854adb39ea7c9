package packtest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/enginetest"
	"entitle/engine/household"
	"entitle/engine/packtest"
	"entitle/engine/report"
	"entitle/engine/rulepack"
	"entitle/rules"
)

// TestSixthJurisdiction proves that adding a jurisdiction touches only files
// under rules/: it copies the shipped pack, drops in the directory
// testdata/packs/990001 (a fictional county with a fictional document), and
// loads, lints, tests and evaluates it with the code as it is.
func TestSixthJurisdiction(t *testing.T) {
	const code = "990001"
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, rules.FS))
	record, err := os.ReadFile("../../testdata/packs/990001-household.yaml")
	require.NoError(t, err)

	// Before: the shipped pack does not know the county.
	before, err := engine.LoadDir(dir)
	require.NoError(t, err)
	_, err = before.EvaluateRecord(context.Background(), record, household.DecodeOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "H010", "an unknown jurisdiction is refused")

	require.NoError(t, os.CopyFS(filepath.Join(dir, code), os.DirFS("../../testdata/packs/"+code)))

	// Lint: no errors and no warnings, every quote verbatim in the new text.
	p, diags := rulepack.Load(os.DirFS(dir))
	require.Empty(t, diags, "%v", diags)
	_, known := p.Jurisdiction(code)
	require.True(t, known)
	var local []string
	for _, r := range p.Rules {
		if r.Jurisdiction == code {
			local = append(local, r.ID)
		}
	}
	assert.Len(t, local, 6)

	// The coverage matrix has a column for the county, every cell accounted for.
	for _, row := range p.Coverage() {
		var cell *rulepack.Cell
		for i := range row.Cells {
			if row.Cells[i].Jurisdiction == code {
				cell = &row.Cells[i]
			}
		}
		require.NotNil(t, cell, row.Benefit)
		assert.Contains(t, []string{rulepack.CellEncoded, rulepack.CellAbsent}, cell.Status, row.Benefit)
	}
	assert.Len(t, p.Indicators(code), 2)

	// Its test cases pass and exercise all its rules.
	eng := engine.New(p)
	fsys := os.DirFS(dir)
	files, err := packtest.Files(fsys, code)
	require.NoError(t, err)
	require.Equal(t, []string{code + "/measures.test.yaml"}, files)
	rep := packtest.Run(eng, fsys, files)
	require.Empty(t, rep.Diagnostics)
	for _, r := range rep.Results {
		assert.True(t, r.Passed(), "%s:%d %s\n  %s", r.File, r.Line, r.Name, strings.Join(r.Failures, "\n  "))
	}
	assert.Len(t, rep.Results, 9)
	for _, id := range local {
		assert.NotContains(t, rep.Coverage.NeverEvaluated, id)
	}

	// And a household there is evaluated like any other.
	res, err := eng.EvaluateRecord(context.Background(), record, household.DecodeOptions{File: "990001-household.yaml"})
	require.NoError(t, err)
	d, ok := res.Determination("living_allowance", "M1")
	require.True(t, ok)
	assert.Equal(t, engine.Eligible, d.Status)
	var buf bytes.Buffer
	h, _, err := household.Decode(record, household.DecodeOptions{})
	require.NoError(t, err)
	require.NoError(t, report.Write(&buf, res, report.Options{Names: report.NamesOf(h), Pack: eng.Pack()}))
	enginetest.Golden(t, "../../testdata/golden/990001-household.zh.txt", buf.Bytes())
}
