package audit_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// gbkRoll writes the example CSV roll as Chinese Excel saves "CSV": in GBK
// (GB18030), with edit applied to each file's bytes after encoding.
func gbkRoll(t *testing.T, edit func(file string, data []byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, file := range []string{"households.csv", "members.csv", "payments.csv"} {
		data, err := os.ReadFile(rolls + "csv/" + file)
		require.NoError(t, err)
		gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(data)
		require.NoError(t, err)
		require.NotEqual(t, data, gbk, "%s has Chinese text to encode", file)
		if edit != nil {
			gbk = edit(file, gbk)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, file), gbk, 0o644))
	}
	return dir
}

// TestRollInGBK: a CSV roll saved in GBK is audited exactly as the same roll
// in UTF-8, whether the encoding is detected or named, and the report says
// which files were read as GB18030. Named wrongly, it stops at the header.
func TestRollInGBK(t *testing.T) {
	eng := testengine.Engine(t)
	dir := gbkRoll(t, nil)
	audited := func(dir string, opts ...audit.TabularOption) *collect {
		r, err := audit.OpenCSV(dir, opts...)
		require.NoError(t, err)
		defer r.Close()
		c := runAudit(t, eng, r, 2)
		done, total := r.Progress()
		assert.Equal(t, total, done, "progress counts the file's own bytes, not the text decoded")
		return c
	}
	want := audited(rolls + "csv")
	require.NotEmpty(t, want.findings)
	assert.Empty(t, want.report.Reconciliation.Encodings)
	for _, tt := range []struct {
		name     string
		opts     []audit.TabularOption
		detected bool
	}{
		{"detected", nil, true},
		{"detected when asked for", []audit.TabularOption{audit.Encoding(audit.EncodingAuto)}, true},
		{"named", []audit.TabularOption{audit.Encoding(audit.EncodingGB18030)}, false},
		{"named GBK", []audit.TabularOption{audit.Encoding("GBK")}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := audited(dir, tt.opts...)
			encodings := got.report.Reconciliation.Encodings
			got.report.Reconciliation.Encodings = nil
			assertSameAudit(t, want, got)
			assert.Equal(t, []audit.FileEncoding{
				{Table: "households.csv", Encoding: "GB18030", Detected: tt.detected},
				{Table: "members.csv", Encoding: "GB18030", Detected: tt.detected},
				{Table: "payments.csv", Encoding: "GB18030", Detected: tt.detected},
			}, encodings)
		})
	}

	_, err := audit.OpenCSV(dir, audit.Encoding(audit.EncodingUTF8))
	require.Error(t, err, "GBK read as UTF-8")
	assert.Contains(t, household.ZhMessage(err), "households.csv:1：第 1 列的列名不是 UTF-8 编码的文字（按 --encoding 的要求以 UTF-8 读取；文件若是 GBK 编码，请改用 --encoding gb18030")
	assert.Contains(t, err.Error(), "households.csv:1: the header of column 1 is not UTF-8 text")

	// Excel's "Unicode Text" export: UTF-16 with its byte-order mark.
	utf16 := t.TempDir()
	for _, file := range []string{"households.csv", "members.csv", "payments.csv"} {
		require.NoError(t, os.WriteFile(filepath.Join(utf16, file), []byte("\xff\xfe7b7\x00"), 0o644))
	}
	_, err = audit.OpenCSV(utf16)
	require.Error(t, err)
	assert.Contains(t, household.ZhMessage(err), "households.csv：这是 UTF-16 文本（Excel 的“Unicode 文本”），不是 CSV：请另存为“CSV UTF-8（逗号分隔）”")

	_, err = audit.OpenCSV(dir, audit.Encoding("latin1"))
	require.Error(t, err)
	assert.Contains(t, household.ZhMessage(err), `未知的字符编码 "latin1"`)

	_, err = audit.OpenXLSX(rolls+"example.xlsx", audit.Encoding(audit.EncodingGB18030))
	require.Error(t, err, "a workbook is Unicode")
	assert.Contains(t, err.Error(), "applies to CSV files only")
	r, err := audit.OpenXLSX(rolls+"example.xlsx", audit.Encoding(audit.EncodingAuto))
	require.NoError(t, err)
	require.NoError(t, r.Close())
}

// TestCellNotInGBK: in a roll read as GB18030, a cell whose bytes are no
// GB18030 character makes its record invalid, at its row and column; the
// rest of the roll is audited.
func TestCellNotInGBK(t *testing.T) {
	eng := testengine.Engine(t)
	dir := gbkRoll(t, func(file string, data []byte) []byte {
		if file != "members.csv" {
			return data
		}
		// Line 2's name (cell 3, empty in the example) becomes 0xFF, which
		// no GB18030 character starts with.
		lines := bytes.Split(data, []byte("\n"))
		cells := bytes.Split(lines[1], []byte(","))
		cells[2] = []byte{0xff}
		lines[1] = bytes.Join(cells, []byte(","))
		return bytes.Join(lines, []byte("\n"))
	})
	r, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	defer r.Close()
	c := runAudit(t, eng, r, 2)
	assertProblem(t, c, 1, wantProblem{"H001", "name", "cell 3: not GB18030 (GBK) text: some of its bytes are no character (the file is read as GB18030 because its start is not UTF-8",
		"第 3 格：不是 GB18030（GBK）编码的文字：其中有的字节不成字（文件开头不是 UTF-8，因此按 GB18030 读取"})
	rec := c.report.Reconciliation
	assert.Equal(t, 40, rec.Records)
	assert.Equal(t, 2, rec.Invalid, "record 1, and the example's own invalid record")
	assert.True(t, rec.Balanced)
}

// TestTabSeparated: a roll saved as Excel's "Text (Tab delimited)", as
// offices often send it under a .csv name, is read by its tabs, in UTF-8
// and in GBK alike, and audited as the comma-separated roll is.
func TestTabSeparated(t *testing.T) {
	eng := testengine.Engine(t)
	write := func(gbk bool) string {
		dir := t.TempDir()
		for _, file := range []string{"households.csv", "members.csv", "payments.csv"} {
			var b bytes.Buffer
			w := csv.NewWriter(&b)
			w.Comma = '\t'
			require.NoError(t, w.WriteAll(exampleRows(t, file)))
			data := b.Bytes()
			if gbk {
				var err error
				data, err = simplifiedchinese.GB18030.NewEncoder().Bytes(data)
				require.NoError(t, err)
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, file), data, 0o644))
		}
		return dir
	}
	want := auditCSV(t, eng, rolls+"csv")
	for _, gbk := range []bool{false, true} {
		got := auditCSV(t, eng, write(gbk))
		got.report.Reconciliation.Encodings = nil
		assertSameAudit(t, want, got)
	}
}
