package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/enginetest"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

const rolls = "../../testdata/rolls/"

// exampleConfig makes the small example roll kept under testdata/rolls: one
// discrepancy of every class in 40 households.
func exampleConfig() rollgen.Config {
	plants := map[audit.Class]int{}
	for _, c := range audit.Classes {
		plants[c.Class] = 1
	}
	return rollgen.Config{Households: 40, Seed: 1, AsOf: asOf, Plant: plants}
}

// TestExampleRolls: the example roll in each format (JSONL, CSV, Excel) is
// what the generator makes, and the audit of each finds the same planted
// findings; the JSONL report is kept as a golden file.
func TestExampleRolls(t *testing.T) {
	eng := testengine.Engine(t)
	var jsonl bytes.Buffer
	enc := json.NewEncoder(&jsonl)
	enc.SetEscapeHTML(false)
	var entries []*audit.Entry
	m, err := rollgen.Generate(eng, exampleConfig(), func(e *audit.Entry) error { entries = append(entries, e); return enc.Encode(e) })
	require.NoError(t, err)
	enginetest.Golden(t, rolls+"example.jsonl", jsonl.Bytes())
	mb, _ := json.MarshalIndent(m, "", "  ")
	enginetest.Golden(t, rolls+"example.manifest.json", append(mb, '\n'))

	dir := t.TempDir()
	for _, format := range []string{"csv", "xlsx"} {
		out := filepath.Join(dir, "csv")
		if format == "xlsx" {
			out = filepath.Join(dir, "example.xlsx")
		}
		tw, err := rollgen.NewTableWriter(format, out)
		require.NoError(t, err)
		for _, e := range entries {
			require.NoError(t, tw.Write(e))
		}
		require.NoError(t, tw.Close())
	}
	for _, name := range []string{"households.csv", "members.csv", "payments.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, "csv", name))
		require.NoError(t, err)
		enginetest.Golden(t, rolls+"csv/"+name, b)
	}
	if enginetest.Updating() {
		b, err := os.ReadFile(filepath.Join(dir, "example.xlsx"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(rolls+"example.xlsx", b, 0o644))
	}

	readers := map[string]func() (audit.Reader, error){
		"jsonl": func() (audit.Reader, error) { return audit.OpenJSONL(rolls + "example.jsonl") },
		"csv":   func() (audit.Reader, error) { return audit.OpenCSV(rolls + "csv") },
		"xlsx":  func() (audit.Reader, error) { return audit.OpenXLSX(rolls + "example.xlsx") },
		// example.xls: example.xlsx saved by LibreOffice as Excel 97–2003
		// (testdata/rolls/make-xls.sh).
		"xls": func() (audit.Reader, error) { return audit.OpenXLS(rolls + "example.xls") },
		// OpenWorkbook tells the two by their bytes.
		"workbook xls":  func() (audit.Reader, error) { return audit.OpenWorkbook(rolls + "example.xls") },
		"workbook xlsx": func() (audit.Reader, error) { return audit.OpenWorkbook(rolls + "example.xlsx") },
	}
	for _, name := range []string{"jsonl", "csv", "xlsx", "xls", "workbook xls", "workbook xlsx"} {
		t.Run(name, func(t *testing.T) {
			r, err := readers[name]()
			require.NoError(t, err)
			defer r.Close()
			c := runAudit(t, eng, r, 2)
			expectExactly(t, m, c)
			rec := c.report.Reconciliation
			assert.Equal(t, 40, rec.Records)
			// Every format counts the payments of the invalid record too.
			assert.Equal(t, 62, rec.Payments)
			assert.Equal(t, 2, rec.PaymentsInInvalid)
			// and the members: 125 evaluated, 1 of the invalid one.
			assert.Equal(t, 125, rec.Members)
			assert.Equal(t, 1, rec.MembersInInvalid)
			assert.True(t, rec.Balanced)
			if name != "jsonl" {
				assert.Equal(t, rec.Payments, rec.PaymentRows)
				assert.Equal(t, rec.Members+rec.MembersInInvalid, rec.MemberRows)
				assert.Positive(t, c.report.Reconciliation.MemberRows)
				assert.Positive(t, c.report.Reconciliation.PaymentRows)
			}
		})
	}

	// The report of the JSONL roll, byte for byte.
	r, err := audit.OpenJSONL(rolls + "example.jsonl")
	require.NoError(t, err)
	defer r.Close()
	a, err := audit.New(eng, audit.Options{AsOf: asOf, Workers: 3, CompareExampleAmounts: true, TempDir: t.TempDir()})
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = a.Run(context.Background(), r, audit.NewJSONLSink(&out))
	require.NoError(t, err)
	enginetest.Golden(t, "../../testdata/golden/audit-example.jsonl", out.Bytes())
}

// TestTabularRollInChinese: the example CSV roll with its enumerated cells
// written as Chinese names (户主, 肢体残疾, 一级, 退休, 农村, 低保…), its
// dates as 1966年6月10日 and its months as 2024/6, is read to the same
// findings and reconciliation as with codes.
func TestTabularRollInChinese(t *testing.T) {
	names := map[string]map[string]string{} // column → code → name
	columns := map[string]string{
		"城乡类别": "residence", "救助状态": "status[]", "财产状况": "property_test",
		"与户主关系": "members[].relation", "残疾类别": "members[].disability.category",
		"就业状况": "members[].employment.status", "劳动能力": "members[].work_capacity",
		"就学阶段": "members[].education.stage", "毕业学校类别": "members[].education.graduating_from",
		"服务需求": "members[].needs[]",
	}
	for _, f := range household.EnumFields {
		byCode := map[string]string{}
		for name, code := range f.Names {
			if old, ok := byCode[code]; !ok || name < old {
				byCode[code] = name
			}
		}
		for col, path := range columns {
			if path == f.Path {
				names[col] = byCode
			}
		}
	}
	require.Len(t, names, len(columns))
	names["残疾等级"] = map[string]string{"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
	eng := testengine.Engine(t)
	names["行政区划代码"] = map[string]string{} // the area by name, as an export may give it
	for _, j := range eng.Pack().Jurisdictions {
		names["行政区划代码"][j.Code] = j.Name.Zh
	}

	dir := t.TempDir()
	renamed := 0
	for _, file := range []string{"households.csv", "members.csv", "payments.csv"} {
		rows := exampleRows(t, file)
		for _, row := range rows[1:] {
			for i, cell := range row {
				switch rows[0][i] {
				case "出生日期", "评估日期":
					if d, err := time.Parse("2006-01-02", cell); err == nil {
						row[i] = fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
						renamed++
					}
					continue
				case "月人均收入记录":
					row[i] = strings.NewReplacer("-0", "/", "-", "/").Replace(cell) // 2024-06:… as 2024/6:…
					continue
				}
				byCode := names[rows[0][i]]
				var parts []string
				for _, code := range strings.Split(cell, ";") {
					if name, ok := byCode[code]; ok {
						code = name
						renamed++
					}
					parts = append(parts, code)
				}
				row[i] = strings.Join(parts, "、")
			}
		}
		out, err := os.Create(filepath.Join(dir, file))
		require.NoError(t, err)
		w := csv.NewWriter(out)
		require.NoError(t, w.WriteAll(rows))
		require.NoError(t, out.Close())
	}
	assert.Greater(t, renamed, 200)

	audited := func(dir string) (*collect, []string) {
		r, err := audit.OpenCSV(dir)
		require.NoError(t, err)
		defer r.Close()
		c := runAudit(t, eng, r, 2)
		var keys []string
		for _, f := range c.findings {
			keys = append(keys, key(f.Class, f.Household, f.Member, f.Benefit)+" in "+f.Jurisdiction)
		}
		return c, keys
	}
	codes, want := audited(rolls + "csv")
	chinese, got := audited(dir)
	assert.Equal(t, want, got)
	assert.Equal(t, codes.report.Reconciliation, chinese.report.Reconciliation)
	assert.Equal(t, codes.report.Summary, chinese.report.Summary, "areas named, not coded, are counted as the same areas")
	assert.Equal(t, 40, chinese.report.Reconciliation.Records)
}

// TestProblemsInWords: in a Chinese report each problem of an invalid
// record has its message in Chinese (where it has one) and is followed by
// the field and the kind of problem in words; in an English one it is the
// English line alone.
func TestProblemsInWords(t *testing.T) {
	grade := audit.Problem{Field: "household.members[0].disability.grade", Code: "H011", Msg: "disability grade must be 1 to 4", Zh: "残疾等级应为 1 至 4"}
	payment := audit.Problem{Field: "payments[1].benefit", Code: "A101", Msg: "benefit code missing"}
	assert.Equal(t, "第 1 位成员：残疾等级 —— 残疾等级不是一至四级", grade.Words())
	assert.Equal(t, "发放记录的待遇代码缺失或未知", payment.Words())
	assert.Equal(t, "", audit.Problem{Code: "X999", Msg: "?"}.Words())

	pack := testengine.Engine(t).Pack()
	for lang, want := range map[string]string{
		"zh": "H011 household.members[0].disability.grade: 残疾等级应为 1 至 4（第 1 位成员：残疾等级 —— 残疾等级不是一至四级）\nA101 payments[1].benefit: benefit code missing（发放记录的待遇代码缺失或未知）",
		"en": "H011 household.members[0].disability.grade: disability grade must be 1 to 4\nA101 payments[1].benefit: benefit code missing",
	} {
		var findings, summary bytes.Buffer
		sink := audit.NewCSVSink(pack, &findings, &summary, lang)
		require.NoError(t, sink.Finding(&audit.Finding{Class: audit.InvalidRecord, Record: 1, Household: "H", Problems: []audit.Problem{grade, payment}}))
		require.NoError(t, sink.Finish(&audit.Report{}))
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(findings.String(), "\ufeff"))).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 2, lang)
		assert.Contains(t, rows[1], want, lang)
	}
}

// TestFindingsSayWhy: a benefit paid against an exception says the exception
// applies, not that a condition is unmet (regression: the work-injury
// exception read 未满足“领取工伤保险生活护理费”, the opposite of the case), and
// facts still missing are named in words.
func TestFindingsSayWhy(t *testing.T) {
	eng := testengine.Engine(t)
	byKey := map[string]*audit.Finding{}
	// The example roll, and a household whose member receives the
	// work-injury care allowance and is paid the care subsidy (kept from an
	// earlier example roll).
	for _, name := range []string{"../../testdata/rolls/example.jsonl", "testdata/work-injury-paid.jsonl"} {
		f, err := os.Open(name)
		require.NoError(t, err)
		defer f.Close()
		c := runAudit(t, eng, audit.NewJSONLReader(filepath.Base(name), f, 0), 1)
		for _, x := range c.findings {
			byKey[key(x.Class, x.Household, x.Member, x.Benefit)] = x
		}
	}

	deny := byKey[key(audit.PaidNotEntitled, "G0000040", "M2", "care_subsidy")]
	require.NotNil(t, deny, "the work-injury case")
	assert.Equal(t, "成员 M2 正在领取重度残疾人护理补贴（每月 100.00 元），但不符合条件：属于例外情形“领取工伤保险生活护理费”。", deny.Detail.Zh)
	assert.Equal(t, "member M2 is paid Care subsidy for severely disabled people (100.00 a month) but does not qualify: an exception applies: receives the work-injury insurance living-care allowance.", deny.Detail.En)

	unmet := byKey[key(audit.PaidNotEntitled, "G0000026", "M1", "dibao_single_person")]
	require.NotNil(t, unmet, "the planted separate-application case")
	assert.Contains(t, unmet.Detail.Zh, "但不符合条件：未满足“家庭未享受、也不符合低保")
	assert.NotContains(t, unmet.Detail.Zh, "例外")

	missing := byKey[key(audit.Undetermined, "G0000011", "M2", "care_subsidy")]
	require.NotNil(t, missing, "the planted undetermined case")
	assert.Equal(t, []string{"members[1].care.long_term"}, missing.Missing, "paths for machines")
	assert.True(t, strings.HasSuffix(missing.Detail.Zh, "但记录缺少认定所需的信息：第 2 位成员：是否需要长期照护（6个月以上）。"), missing.Detail.Zh)

	for lang, want := range map[string][2]string{
		"zh": {"属于例外情形：领取工伤保险生活护理费", "第 2 位成员：是否需要长期照护（6个月以上）（members[1].care.long_term）"},
		"en": {"exception applies: receives the work-injury insurance living-care allowance", "member 2: whether long-term care is needed (6 months or more) (members[1].care.long_term)"},
	} {
		var findings, summary bytes.Buffer
		sink := audit.NewCSVSink(eng.Pack(), &findings, &summary, lang)
		require.NoError(t, sink.Finding(deny))
		require.NoError(t, sink.Finding(missing))
		require.NoError(t, sink.Finish(&audit.Report{}))
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(findings.String(), "\ufeff"))).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 3, lang)
		assert.Contains(t, rows[1], want[0], lang)
		assert.Contains(t, rows[2], want[1], lang)
	}
}

// TestMissingIncomeMonthInWords: a month missing from the income history
// is named in words in the finding's detail, as the caseworker's checklist
// names it, not as the path income_history[2025-03] (regression).
func TestMissingIncomeMonthInWords(t *testing.T) {
	eng := testengine.Engine(t)
	b, err := os.ReadFile("../../testdata/rolls/example.jsonl")
	require.NoError(t, err)
	line := strings.Split(string(b), "\n")[27] // G0000028, paid dibao, income above the standard since 2024-09
	require.Contains(t, line, `"id":"G0000028"`)
	gap := strings.Replace(line, `{"month":"2025-03","per_capita_income":"806.00"},`, "", 1)
	require.NotEqual(t, line, gap)
	c := runAudit(t, eng, audit.NewJSONLReader("gap.jsonl", strings.NewReader(gap+"\n"), 0), 1)
	var found *audit.Finding
	for _, f := range c.findings {
		if f.Class == audit.Undetermined && f.Benefit == "dibao" {
			found = f
		}
	}
	require.NotNil(t, found, "dibao cannot be confirmed without 2025-03")
	assert.Equal(t, []string{"income_history[2025-03]"}, found.Missing, "paths for machines")
	assert.Equal(t, "该户正在领取最低生活保障，但记录缺少认定所需的信息：2025-03 的家庭人均收入（收入历史）。", found.Detail.Zh)
	assert.Contains(t, found.Detail.En, "per-capita income of 2025-03 (income history)")
}

// TestIgnoreColumns: an export with columns the audit has no use for (性别,
// 联系电话, 备注) is refused as it stands, and audited with them named in
// IgnoreColumns exactly as the roll without them; the reconciliation lists
// each column left unread, so that nothing is dropped unsaid.
func TestIgnoreColumns(t *testing.T) {
	extra := map[string]struct {
		header string
		at     int // the column's place, from 0
	}{
		"households.csv": {"联系电话", 1},
		"members.csv":    {"性别", 3},
		"payments.csv":   {"备注", 6},
	}
	dir := t.TempDir()
	for file, x := range extra {
		rows := exampleRows(t, file)
		for i, row := range rows {
			cell := x.header
			if i > 0 {
				cell = fmt.Sprintf("值%d", i) // a value in every row, read by nothing
			}
			rows[i] = append(row[:x.at:x.at], append([]string{cell}, row[x.at:]...)...)
		}
		out, err := os.Create(filepath.Join(dir, file))
		require.NoError(t, err)
		require.NoError(t, csv.NewWriter(out).WriteAll(rows))
		require.NoError(t, out.Close())
	}

	_, err := audit.OpenCSV(dir)
	require.Error(t, err, "an unknown header stops the roll unless it is named")
	assert.Contains(t, household.ZhMessage(err), "第 2 列“联系电话”不是户表的列")

	eng := testengine.Engine(t)
	want := auditCSV(t, eng, rolls+"csv")
	got := auditCSV(t, eng, dir, audit.IgnoreColumns("性别", "联系电话", " 备注 ", "民族"))
	assert.Empty(t, want.report.Reconciliation.IgnoredColumns)
	unread := got.report.Reconciliation.IgnoredColumns
	got.report.Reconciliation.IgnoredColumns = nil
	assertSameAudit(t, want, got)
	assert.Equal(t, []audit.IgnoredColumn{
		{Table: "households.csv", Line: 1, Column: 2, Header: "联系电话"},
		{Table: "members.csv", Line: 1, Column: 4, Header: "性别"},
		{Table: "payments.csv", Line: 1, Column: 7, Header: "备注"},
	}, unread, "民族, named but absent, is not listed")
	assert.Equal(t, "members.csv:1:4 性别", unread[1].String())

	// The same in an Excel workbook: columns inserted into the example's
	// sheets, with a value in every row. Both workbooks are audited at one
	// path, which the findings' references name.
	book := filepath.Join(t.TempDir(), "roll.xlsx")
	orig, err := os.ReadFile(rolls + "example.xlsx")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(book, orig, 0o644))
	xr, err := audit.OpenXLSX(book)
	require.NoError(t, err)
	wantX := runAudit(t, eng, xr, 2)
	require.NoError(t, xr.Close())

	f, err := excelize.OpenFile(book)
	require.NoError(t, err)
	for _, x := range []struct{ sheet, col, header string }{{"households", "B", "联系电话"}, {"members", "D", "性别"}} {
		require.NoError(t, f.InsertCols(x.sheet, x.col, 1))
		rows, err := f.GetRows(x.sheet)
		require.NoError(t, err)
		for i := range rows {
			cell := x.header
			if i > 0 {
				cell = fmt.Sprintf("值%d", i)
			}
			require.NoError(t, f.SetCellValue(x.sheet, fmt.Sprintf("%s%d", x.col, i+1), cell))
		}
	}
	require.NoError(t, f.Save())
	require.NoError(t, f.Close())
	_, err = audit.OpenXLSX(book)
	require.Error(t, err, "an unknown header stops the workbook unless it is named")
	assert.Contains(t, household.ZhMessage(err), "roll.xlsx[households]:1：第 2 列“联系电话”不是户表的列")
	xr, err = audit.OpenXLSX(book, audit.IgnoreColumns("联系电话", "性别"))
	require.NoError(t, err)
	gotX := runAudit(t, eng, xr, 2)
	require.NoError(t, xr.Close())
	assert.Equal(t, []audit.IgnoredColumn{
		{Table: book + "[households]", Line: 1, Column: 2, Header: "联系电话"},
		{Table: book + "[members]", Line: 1, Column: 4, Header: "性别"},
	}, gotX.report.Reconciliation.IgnoredColumns)
	gotX.report.Reconciliation.IgnoredColumns = nil
	assertSameAudit(t, wantX, gotX)
}

// exampleRows reads a file of the example CSV roll (testdata/rolls/csv).
func exampleRows(t *testing.T, file string) [][]string {
	t.Helper()
	f, err := os.Open(rolls + "csv/" + file)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

// auditCSV audits the CSV roll in dir with two workers.
func auditCSV(t *testing.T, eng *engine.Engine, dir string, opts ...audit.TabularOption) *collect {
	t.Helper()
	r, err := audit.OpenCSV(dir, opts...)
	require.NoError(t, err)
	defer r.Close()
	return runAudit(t, eng, r, 2)
}

// assertSameAudit checks that two audits of one roll, kept in two ways,
// found the same, finding by finding, and reconciled it the same (the
// caller clears what is meant to differ, such as the lists of columns and
// encodings).
func assertSameAudit(t *testing.T, want, got *collect) {
	t.Helper()
	require.Equal(t, len(want.findings), len(got.findings))
	for i := range want.findings {
		assert.Equal(t, *want.findings[i], *got.findings[i])
	}
	assert.Equal(t, want.report.Reconciliation, got.report.Reconciliation)
}

// TestJSONLAsWindowsWritesIt: a JSONL roll saved with a byte-order mark and
// CRLF line ends (Notepad, some exports) is audited as the plain roll
// (regression: the mark made the first line invalid, H001 "an object is
// expected").
func TestJSONLAsWindowsWritesIt(t *testing.T) {
	eng := testengine.Engine(t)
	b, err := os.ReadFile(rolls + "example.jsonl")
	require.NoError(t, err)
	want := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", bytes.NewReader(b), 0), 2)
	windows := append([]byte("\ufeff"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
	got := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", bytes.NewReader(windows), 0), 2)
	assertSameAudit(t, want, got)
	// A mark on a line of its own is a blank line.
	got = runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", bytes.NewReader(append([]byte("\ufeff\n"), b...)), 0), 2)
	assert.Equal(t, want.report.Reconciliation, got.report.Reconciliation)
}
