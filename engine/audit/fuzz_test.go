package audit_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// firstLines is the start of a file of the example roll, as a fuzz seed.
func firstLines(t testing.TB, path string, n int) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var b bytes.Buffer
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for i := 0; i < n && s.Scan(); i++ {
		b.WriteString(s.Text() + "\n")
	}
	require.NoError(t, s.Err())
	return b.String()
}

// FuzzJSONLRoll: whatever the lines of a roll hold, the audit finishes
// without a panic and loses nothing: every line with something on it is one
// record, evaluated or invalid, the reconciliation balances, and every
// problem is worded in Chinese too.
func FuzzJSONLRoll(f *testing.F) {
	eng := testengine.Engine(f)
	f.Add([]byte(firstLines(f, "../../testdata/rolls/example.jsonl", 3)))
	f.Add([]byte(`{"household":{"id":"H1","jurisdiction":"141081","members":[{"id":"M1","disability":{"category":"physical","grade":1}}]},"payments":[{"benefit":"care_subsidy","member":"M1","start":"2025-01","monthly":"10.00"}]}`))
	f.Add([]byte("{\"household\":\n\n  \r\n{\"payments\":{}}\n[]"))
	f.Add([]byte("\ufeff[\n{}\n]"))
	f.Add([]byte("\ufeff\n{\n}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want := 0
		var first []byte
		for i, line := range bytes.Split(data, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if i == 0 {
				line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\ufeff")))
			}
			if len(line) > 0 {
				if want == 0 {
					first = line
				}
				want++
			}
		}
		if len(first) > 0 && (first[0] == '[' || string(first) == "{") {
			// A JSON array, or pretty-printed JSON: refused as a whole (a
			// first line too long to read is a record, H023).
			if len(data) >= household.MaxRecordBytes {
				return
			}
			a, err := audit.New(eng, audit.Options{AsOf: asOf, TempDir: t.TempDir()})
			require.NoError(t, err)
			_, err = a.Run(context.Background(), audit.NewJSONLReader("roll.jsonl", bytes.NewReader(data), 0), &collect{})
			assert.ErrorContains(t, err, "roll.jsonl:")
			return
		}
		c := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", bytes.NewReader(data), 0), 2)
		rec := c.report.Reconciliation
		assert.Equal(t, want, rec.Records, "every line is a record")
		assert.True(t, rec.Balanced, "%+v", rec)
		assertEveryProblemInChinese(t, c)
	})
}

// FuzzCSVRoll: whatever three CSV tables hold, opening them either fails
// with an error or the audit runs; it never panics, and when it finishes
// the reconciliation balances and every problem is worded in Chinese too.
// (A row that is not CSV stops the audit with an error: where it ends
// cannot be known.)
func FuzzCSVRoll(f *testing.F) {
	eng := testengine.Engine(f)
	dir := "../../testdata/rolls/csv/"
	f.Add(firstLines(f, dir+"households.csv", 4), firstLines(f, dir+"members.csv", 8), firstLines(f, dir+"payments.csv", 4))
	f.Add("户编号,行政区划代码\nH1,141081\nH2,141081\n", "户编号,成员编号,残疾等级\nH1,M1,一级\nH3,M1,2\nH2,M1,五级\n", "户编号,成员编号,待遇代码,月发放金额,起始月份\nH1,M1,care_subsidy,¥10,2025-01\nH9,,dibao,1,2025-01\n")
	f.Add("户编号,行政区划代码\nH1,141081\nH2,141081\n", "户编号,成员编号,是否残疾,残疾类别,残疾等级\nH1,M1,,无,无\nH1,M2,是,否,\nH2,M1,,非残疾人,2\n", "户编号,成员编号,待遇代码,月发放金额,起始月份\n")
	f.Add("户编号,行政区划代码\nH1,141081\nH2,141081\n", "户编号,成员编号,残疾情况,残疾类别,残疾人证号\nH1,M1,肢残二级,,\nH1,M2,无,视力,\nH2,M1,二级,肢体,1\n", "户编号,成员编号,待遇代码,月发放金额,起始月份\nH1,M1,care_subsidy,100,2025-01\n")
	gbk := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		require.NoError(f, err)
		return b
	}
	f.Add(gbk(firstLines(f, dir+"households.csv", 4)), gbk(firstLines(f, dir+"members.csv", 8)), "户编号,成员编号,待遇代码\nG0000001,,dibao\n\xff")
	f.Fuzz(func(t *testing.T, households, members, payments string) {
		tmp := t.TempDir()
		paths := make([]string, 3)
		for i, text := range []string{households, members, payments} {
			paths[i] = filepath.Join(tmp, []string{"households.csv", "members.csv", "payments.csv"}[i])
			require.NoError(t, os.WriteFile(paths[i], []byte(text), 0o644))
		}
		r, err := audit.OpenCSVFiles(paths[0], paths[1], paths[2])
		auditFuzzed(t, eng, r, err)
	})
}

// auditFuzzed audits a roll a fuzz target opened, or checks why it could
// not be: opening it may fail with an error, and the audit may stop with
// one; when it finishes, the reconciliation balances and every problem is
// worded in Chinese too.
func auditFuzzed(t *testing.T, eng *engine.Engine, r *audit.TabularReader, err error) {
	t.Helper()
	if err != nil {
		assert.NotEmpty(t, err.Error())
		return
	}
	defer r.Close()
	a, err := audit.New(eng, audit.Options{AsOf: asOf, Workers: 2, CompareExampleAmounts: true, TempDir: t.TempDir()})
	require.NoError(t, err)
	c := &collect{}
	if _, err := a.Run(context.Background(), r, c); err != nil {
		assert.NotEmpty(t, err.Error())
		return
	}
	rec := c.report.Reconciliation
	assert.True(t, rec.Balanced, "%+v", rec)
	assertEveryProblemInChinese(t, c)
}

// smallBook is a workbook of the example roll's first rows, as excelize
// writes it: its parts by name, and the order they go in the zip.
func smallBook(t testing.TB) (map[string][]byte, []string) {
	t.Helper()
	dir := "../../testdata/rolls/csv/"
	f := excelize.NewFile()
	defer f.Close()
	for i, sheet := range []string{"households", "members", "payments"} {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", sheet))
		} else {
			_, err := f.NewSheet(sheet)
			require.NoError(t, err)
		}
		r := csv.NewReader(strings.NewReader(firstLines(t, dir+sheet+".csv", 6)))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		require.NoError(t, err)
		for y, row := range rows {
			cell, err := excelize.CoordinatesToCellName(1, y+1)
			require.NoError(t, err)
			vals := make([]any, len(row))
			for i, v := range row {
				vals[i] = strings.TrimPrefix(v, "\ufeff")
			}
			require.NoError(t, f.SetSheetRow(sheet, cell, &vals))
		}
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	parts := map[string][]byte{}
	var order []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		parts[zf.Name] = b
		order = append(order, zf.Name)
	}
	return parts, order
}

// FuzzXLSXRoll: whatever a workbook's members sheet and shared strings hold,
// opening the roll either fails with an error or the audit runs; it never
// panics, and when it finishes the reconciliation balances and every
// problem is worded in Chinese too.
func FuzzXLSXRoll(f *testing.F) {
	eng := testengine.Engine(f)
	parts, order := smallBook(f)
	const sheet, sst = "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"
	require.Contains(f, parts, sheet)
	require.Contains(f, parts, sst)
	f.Add(parts[sheet], parts[sst])
	row := `<row r="7"><c r="A7" t="s"><v>%s</v></c><c r="B7" t="%s"><v>%s</v></c><c r="C7"><v>1</v></c></row></sheetData>`
	for _, c := range [][3]string{{"999", "s", "0"}, {"-1", "n", "1e400"}, {"0", "d", "2025-13-45T00:00:00"}, {"0", "e", "#REF!"},
		{"0", "b", "2"}, {"0", "str", "x"}, {"0", "inlineStr", ""}, {"1", "n", "NaN"}} {
		f.Add(bytes.Replace(parts[sheet], []byte("</sheetData>"), fmt.Appendf(nil, row, c[0], c[1], c[2]), 1), parts[sst])
	}
	f.Add(bytes.Replace(parts[sheet], []byte(`r="A2"`), []byte(`r="XFE2"`), 1), parts[sst])
	f.Add(bytes.Replace(parts[sheet], []byte(`r="A2"`), []byte(`r="A0"`), 1), parts[sst])
	f.Add(bytes.Replace(parts[sheet], []byte(`<row r="2"`), []byte(`<row r="1048577"`), 1), parts[sst])
	f.Add(parts[sheet], []byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><r><t>户编号</t></r></si></sst>`))
	f.Fuzz(func(t *testing.T, members, strs []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range order {
			w, err := zw.Create(name)
			require.NoError(t, err)
			data := parts[name]
			switch name {
			case sheet:
				data = members
			case sst:
				data = strs
			}
			_, err = w.Write(data)
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		path := filepath.Join(t.TempDir(), "roll.xlsx")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		r, err := audit.OpenXLSX(path)
		auditFuzzed(t, eng, r, err)
	})
}
