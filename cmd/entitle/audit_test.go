package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
)

// When ENTITLE_MAIN is set, the test binary runs the command itself, so a
// test can start it as a process (and kill it).
func TestMain(m *testing.M) {
	if os.Getenv("ENTITLE_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const exampleRoll = "../../testdata/rolls/"

func TestAuditExampleRoll(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, roll, out string
	}{
		{"jsonl in, jsonl out", exampleRoll + "example.jsonl", filepath.Join(dir, "r.jsonl")},
		{"csv in, excel out", exampleRoll + "csv", filepath.Join(dir, "r.xlsx")},
		{"excel in, csv out", exampleRoll + "example.xlsx", filepath.Join(dir, "csvreport")},
		{"excel 97-2003 in, jsonl out", exampleRoll + "example.xls", filepath.Join(dir, "r97.jsonl")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", "audit", "--as-of", "2025-06-30", "--compare-example-amounts", "-o", tt.out, tt.roll)
			assert.Equal(t, exitFailed, code, "findings give exit code 1: %s", errs)
			assert.Contains(t, errs, "records 40 = evaluated 39 + invalid 1 (balanced)")
			assert.Contains(t, errs, "findings 14 (")
			// The report's language is Chinese by default: the same counts follow in Chinese.
			assert.Contains(t, errs, "记录 40 条 = 已评估 39 + 无效 1（逐条核对，无遗漏）")
			assert.Contains(t, errs, "发现问题 14 条（")
			assert.Contains(t, errs, "户编号重复 2")
			assert.Contains(t, errs, "重复发放 1")
			assert.Contains(t, errs, "重复在册 2")
			assert.Contains(t, errs, "记录存疑 1", "a record evaluated despite a warning is reported")
			switch {
			case strings.HasSuffix(tt.out, ".jsonl"):
				b, err := os.ReadFile(tt.out)
				require.NoError(t, err)
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				var last map[string]any
				require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &last))
				assert.Equal(t, "reconciliation", last["kind"])
				assert.Equal(t, true, last["balanced"])
			case strings.HasSuffix(tt.out, ".xlsx"):
				f, err := excelize.OpenFile(tt.out)
				require.NoError(t, err)
				defer f.Close()
				sheets := f.GetSheetList()
				assert.Equal(t, "汇总", sheets[0])
				assert.Contains(t, sheets, "应发未发")
				dups, err := f.GetRows("户编号重复")
				require.NoError(t, err)
				require.Len(t, dups, 3, "a header and the household id on each of its two records")
				assert.Equal(t, "第 13 条记录（330213，households.csv:14）", dups[1][slices.Index(dups[0], "另见")])
				rows, err := f.GetRows("金额不符")
				require.NoError(t, err)
				require.Len(t, rows, 2, "a header and the one finding")
				assert.Equal(t, "类别", rows[0][0])
				assert.Equal(t, "amount_differs", rows[1][0])
				// Amounts and counts are numbers a spreadsheet sums;
				// identifiers stay text.
				text := []excelize.CellType{excelize.CellTypeSharedString, excelize.CellTypeInlineString}
				typeOf := func(sheet string, header []string, column string) excelize.CellType {
					i := slices.Index(header, column)
					require.GreaterOrEqual(t, i, 0, column)
					cell, err := excelize.CoordinatesToCellName(i+1, 2)
					require.NoError(t, err)
					ct, err := f.GetCellType(sheet, cell)
					require.NoError(t, err)
					return ct
				}
				for _, c := range []string{"实发月额", "应发月额", "差额", "记录序号"} {
					assert.NotContains(t, text, typeOf("金额不符", rows[0], c), c)
				}
				for _, c := range []string{"户编号", "身份证号", "行政区划代码"} {
					assert.Contains(t, text, typeOf("金额不符", rows[0], c), c)
				}
				summary, err := f.GetRows("汇总")
				require.NoError(t, err)
				assert.NotContains(t, text, typeOf("汇总", summary[0], "符合条件人（户）数"))
				assert.NotContains(t, text, typeOf("汇总", summary[0], "多发月额"))
				assert.Contains(t, text, typeOf("汇总", summary[0], "行政区划代码"))
			default:
				b, err := os.ReadFile(filepath.Join(tt.out, "findings.csv"))
				require.NoError(t, err)
				assert.True(t, strings.HasPrefix(string(b), "\ufeff类别,"), "Chinese headers after a byte-order mark")
				rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
				require.NoError(t, err)
				assert.Len(t, rows, 15, "a header and 14 findings")
				_, err = os.Stat(filepath.Join(tt.out, "summary.csv"))
				assert.NoError(t, err)
			}
		})
	}

	code, _, errs := runCLI(t, "", "audit", "--format", "xlsx", exampleRoll+"example.jsonl")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "needs -o")
	code, _, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", filepath.Join(dir, "missing.jsonl"))
	assert.Equal(t, exitIO, code)
	assert.Contains(t, errs, "missing.jsonl")
}

// bigRoll writes a generated roll of n households.
func bigRoll(t *testing.T, n int) string {
	t.Helper()
	eng, err := engine.LoadEmbedded()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "roll.jsonl")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	_, err = rollgen.Generate(eng, rollgen.Config{Households: n, Seed: 3, AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)},
		func(e *audit.Entry) error { return enc.Encode(e) })
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

// TestAuditKilledLeavesNoReport: a run killed mid-way, or interrupted, leaves
// no report behind, not even a partial one.
func TestAuditKilledLeavesNoReport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	roll := bigRoll(t, 20000)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "report.jsonl")
			cmd := exec.Command(os.Args[0], "audit", "--as-of", "2025-06-30", "--workers", "1", "-o", out, roll)
			cmd.Env = append(os.Environ(), "ENTITLE_MAIN=1")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			// Wait until the report is being written under its temporary name.
			deadline := time.Now().Add(30 * time.Second)
			for {
				tmp, _ := filepath.Glob(filepath.Join(dir, ".report.jsonl.tmp-*"))
				if len(tmp) > 0 {
					if st, err := os.Stat(tmp[0]); err == nil && st.Size() > 0 {
						break
					}
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("the audit did not start writing")
				}
				time.Sleep(5 * time.Millisecond)
			}
			require.NoError(t, cmd.Process.Signal(sig))
			err := cmd.Wait()
			require.Error(t, err, "the run did not finish")
			_, statErr := os.Stat(out)
			assert.True(t, os.IsNotExist(statErr), "no report at the target path")
			if sig == syscall.SIGINT {
				assert.Equal(t, exitIO, cmd.ProcessState.ExitCode())
				assert.Contains(t, stderr.String(), "已中断，未写出报告", "the default language is Chinese")
				tmp, _ := filepath.Glob(filepath.Join(dir, ".report.jsonl.tmp-*"))
				assert.Empty(t, tmp, "an interrupted run removes its temporary file")
			}
		})
	}
}

// TestAuditErrors: a roll that cannot be read stops the audit before any
// record is read, with the reason in the language asked for (Chinese by
// default), naming the file, line and column; a --lang no verb knows is a
// usage error, not a silent Chinese.
func TestAuditErrors(t *testing.T) {
	badHeader := t.TempDir()
	for name, text := range map[string]string{
		"households.csv": "户编号,行政区划代码\nH1,141081\n",
		"members.csv":    "户编号,成员编号,性别\nH1,M1,男\n",
		"payments.csv":   "户编号,待遇代码\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(badHeader, name), []byte(text), 0o644))
	}
	// The example CSV roll as Chinese Excel saves it: in GBK.
	gbkRoll := t.TempDir()
	for _, name := range []string{"households.csv", "members.csv", "payments.csv"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/rolls/csv", name))
		require.NoError(t, err)
		gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(data)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(gbkRoll, name), gbk, 0o644))
	}
	// A compound file, by its first eight bytes, but cut short: read as an
	// Excel 97–2003 workbook (engine/audit's TestUnreadableXLS has the
	// other ways one is refused).
	cutBook := filepath.Join(t.TempDir(), "花名册.xls")
	require.NoError(t, os.WriteFile(cutBook, append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 504)...), 0o644))
	// The example roll as a JSON array, and pretty-printed: JSON, but not
	// one entry a line.
	example, err := os.ReadFile("../../testdata/rolls/example.jsonl")
	require.NoError(t, err)
	entries := strings.Split(strings.TrimSpace(string(example)), "\n")
	array := filepath.Join(t.TempDir(), "roll.json")
	require.NoError(t, os.WriteFile(array, []byte("[\n"+strings.Join(entries, ",\n")+"\n]\n"), 0o644))
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, []byte(entries[0]), "", "  "))
	pretty.WriteString("\n")
	prettyRoll := filepath.Join(t.TempDir(), "roll.jsonl")
	require.NoError(t, os.WriteFile(prettyRoll, pretty.Bytes(), 0o644))
	noSheet := filepath.Join(t.TempDir(), "roll.xlsx")
	f := excelize.NewFile()
	require.NoError(t, f.SaveAs(noSheet))
	require.NoError(t, f.Close())
	// A web page exported under an .xls name, and text under an .xlsx one.
	htmlBook := filepath.Join(t.TempDir(), "花名册.xls")
	require.NoError(t, os.WriteFile(htmlBook, []byte("<html><table><tr><td>户编号</td></tr></table></html>\n"), 0o644))
	textBook := filepath.Join(t.TempDir(), "花名册.xlsx")
	require.NoError(t, os.WriteFile(textBook, []byte("户编号,行政区划代码\nH1,141081\n"), 0o644))
	password := filepath.Join(t.TempDir(), "password.txt")
	require.NoError(t, os.WriteFile(password, []byte("x\n"), 0o600))
	emptyPassword := filepath.Join(t.TempDir(), "empty.txt")
	require.NoError(t, os.WriteFile(emptyPassword, []byte("\n"), 0o600))

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing roll", []string{"audit", "nope.jsonl"}, exitIO, "找不到文件 nope.jsonl"},
		{"missing roll in English", []string{"audit", "--lang", "en", "nope.jsonl"}, exitIO, "entitle audit: stat nope.jsonl: no such file or directory"},
		{"unknown header", []string{"audit", badHeader}, exitIO, "members.csv:1：第 3 列“性别”不是成员表的列（列名见 docs/audit.md）"},
		{"unknown header in English", []string{"audit", "--lang", "en", badHeader}, exitIO, `members.csv:1: column 3 "性别" is not a members column (see docs/audit.md)`},
		{"no sheet", []string{"audit", noSheet}, exitIO, "roll.xlsx：没有工作表“households”（或“户”）"},
		{"audit, bad lang", []string{"audit", "--lang", "fr", badHeader}, exitUsage, `entitle audit: --lang must be zh or en, not "fr"`},
		{"replay, bad lang", []string{"replay", "--lang", "fr", "x.jsonl"}, exitUsage, `entitle replay: --lang must be zh or en, not "fr"`},
		{"rules, bad lang", []string{"rules", "--lang", "fr"}, exitUsage, `entitle rules: --lang must be zh or en, not "fr"`},
		{"ignore columns of a JSONL roll", []string{"audit", "--ignore-columns", "性别", "../../testdata/rolls/example.jsonl"}, exitUsage, "--ignore-columns 只适用于 CSV 或 Excel 名册"},
		{"ignore columns of standard input", []string{"audit", "--ignore-columns", "性别", "-"}, exitUsage, "--ignore-columns 只适用于 CSV 或 Excel 名册"},
		{"ignore another column", []string{"audit", "--ignore-columns", "民族", badHeader}, exitIO, "第 3 列“性别”不是成员表的列"},
		{"unknown encoding", []string{"audit", "--encoding", "big5", badHeader}, exitUsage, `--encoding：未知的字符编码 "big5"：可用 auto、utf-8 或 gb18030（gbk）`},
		{"encoding of a JSONL roll", []string{"audit", "--encoding", "gbk", "../../testdata/rolls/example.jsonl"}, exitUsage, "--encoding 只适用于 CSV 名册"},
		{"encoding of a workbook", []string{"audit", "--encoding", "gbk", "../../testdata/rolls/example.xlsx"}, exitUsage, "JSONL 总是 UTF-8，Excel 工作簿总是 Unicode"},
		{"encoding of standard input", []string{"audit", "--encoding", "utf-8", "-"}, exitUsage, "--encoding 只适用于 CSV 名册"},
		{"one file of a CSV roll", []string{"audit", "../../testdata/rolls/csv/households.csv"}, exitUsage, "CSV 名册是一个目录，内含 households.csv、members.csv、payments.csv 三个文件（或 户.csv、成员.csv、发放.csv）：请给出目录 ../../testdata/rolls/csv，而不是其中的一个文件"},
		{"a compound file cut short", []string{"audit", cutBook}, exitIO, "花名册.xls 无法作为旧版 Excel 工作簿（.xls）读取"},
		{"a web page named .xls", []string{"audit", htmlBook}, exitIO, "花名册.xls 的扩展名是旧版 Excel（.xls）或 WPS（.et），内容却不是工作簿（可能是系统以此扩展名导出的网页或文本）：请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿"},
		{"text named .xlsx", []string{"audit", textBook}, exitIO, "花名册.xlsx 不是 Excel 工作簿（.xlsx），或文件已损坏（zip: not a valid zip file）：请在 Excel 或 WPS 中打开并另存为 .xlsx 工作簿"},
		{"text named .xlsx, in English", []string{"audit", "--lang", "en", textBook}, exitIO, "花名册.xlsx is not an Excel workbook (.xlsx), or it is damaged: zip: not a valid zip file"},
		{"password for a JSONL roll", []string{"audit", "--password-file", password, "../../testdata/rolls/example.jsonl"}, exitUsage, "--password-file 只适用于 Excel 名册（.xlsx、.xls）"},
		{"password for a CSV roll", []string{"audit", "--password-file", password, "../../testdata/rolls/csv"}, exitUsage, "--password-file 只适用于 Excel 名册（.xlsx、.xls）"},
		{"password for standard input", []string{"audit", "--password-file", password, "-"}, exitUsage, "--password-file 只适用于 Excel 名册（.xlsx、.xls）"},
		{"password file missing", []string{"audit", "--password-file", "nope.txt", "../../testdata/rolls/example.xlsx"}, exitUsage, "--password-file：找不到文件 nope.txt"},
		{"password file empty", []string{"audit", "--password-file", emptyPassword, "../../testdata/rolls/example.xlsx"}, exitUsage, "empty.txt 的第一行是空的，应为工作簿的密码"},
		{"a JSON array", []string{"audit", array}, exitIO, "roll.json:1：这是一个 JSON 数组，不是每行一条的 JSON Lines：请改为每行一条（例如 jq -c '.[]' "},
		{"a JSON array, in English", []string{"audit", "--lang", "en", array}, exitIO, "roll.json:1: a JSON array, not JSON Lines: write one entry a line"},
		{"pretty-printed JSON", []string{"audit", prettyRoll}, exitIO, "roll.jsonl:1：一条记录分成了多行（排版过的 JSON），不是每行一条的 JSON Lines"},
		{"a GBK roll read as UTF-8", []string{"audit", "--encoding", "utf-8", gbkRoll}, exitIO, "households.csv:1：第 1 列的列名不是 UTF-8 编码的文字（按 --encoding 的要求以 UTF-8 读取；文件若是 GBK 编码，请改用 --encoding gb18030 或去掉该选项）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, code, errs)
			assert.Contains(t, errs, tt.want)
		})
	}

	// Named, the column is left unread, and the closing summary says so.
	code, out, errs := runCLI(t, "", "audit", "--as-of", "2025-06-30", "--ignore-columns", "性别，民族", badHeader)
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, errs, "; columns left unread (--ignore-columns) 1: members.csv:1:3 性别")
	assert.Contains(t, errs, "；按 --ignore-columns 未读取 1 列：members.csv:1:3 性别")
	assert.Contains(t, out, `"ignored_columns":[{"table":"members.csv","line":1,"column":3,"header":"性别"}]`)

	// A workbook is read as one whatever its name: read as JSONL, it would
	// be a roll of invalid records.
	unnamed := filepath.Join(t.TempDir(), "花名册")
	book, err := os.ReadFile("../../testdata/rolls/example.xlsx")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(unnamed, book, 0o644))
	code, _, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", unnamed)
	assert.Equal(t, exitFailed, code, errs)
	assert.Contains(t, errs, "records 40 = evaluated 39 + invalid 1 (balanced)")

	// A roll in GBK is read as such, and the closing summary says so.
	code, out, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", gbkRoll)
	assert.Equal(t, exitFailed, code, errs, "the example roll has findings")
	assert.Contains(t, errs, "; read as GB18030 (GBK): households.csv, members.csv, payments.csv (detected: not UTF-8 at the start)")
	assert.Contains(t, errs, "；按 GB18030（GBK）编码读取：households.csv, members.csv, payments.csv（自动识别：文件开头不是 UTF-8）")
	assert.Contains(t, out, `"encodings":[{"table":"households.csv","encoding":"GB18030","detected":true},`)
	_, want, _ := runCLI(t, "", "audit", "--as-of", "2025-06-30", "../../testdata/rolls/csv")
	assert.Equal(t, want, strings.Replace(out, `"encodings":[{"table":"households.csv","encoding":"GB18030","detected":true},{"table":"members.csv","encoding":"GB18030","detected":true},{"table":"payments.csv","encoding":"GB18030","detected":true}],`, "", 1),
		"the report is the UTF-8 roll's, but for the files' encodings")
}

// TestAuditEncryptedWorkbook: a roll saved with a password to open is
// audited with --password-file (a file as Windows Notepad saves it: a BOM
// and CRLF) as the same roll without one; without the file it is refused,
// saying how to give it.
// TestAuditXLS: an Excel 97–2003 roll is audited as the .xlsx it was saved
// from, to the same report; --password-file is no usage error for one (a
// workbook without a password is read whatever it says).
func TestAuditXLS(t *testing.T) {
	dir := t.TempDir()
	copyAs := func(src, name string) string {
		b, err := os.ReadFile(exampleRoll + src)
		require.NoError(t, err)
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return path
	}
	xlsx, xls := copyAs("example.xlsx", "花名册.xlsx"), copyAs("example.xls", "花名册.xls")
	_, want, _ := runCLI(t, "", "audit", "--as-of", "2025-06-30", xlsx)
	require.NotEmpty(t, want)
	password := filepath.Join(dir, "password.txt")
	require.NoError(t, os.WriteFile(password, []byte("x\n"), 0o600))
	code, got, errs := runCLI(t, "", "audit", "--as-of", "2025-06-30", "--password-file", password, xls)
	assert.Equal(t, exitFailed, code, errs, "the example roll has findings")
	assert.Equal(t, strings.ReplaceAll(want, xlsx, xls), got)
	assert.Contains(t, errs, "注意：名册没有设密码，未使用 --password-file 给出的密码")
	assert.NotContains(t, errs, "名册设有密码", "no note that the report is not encrypted")

	// Nor is an Excel report encrypted with it.
	report := filepath.Join(dir, "报告.xlsx")
	code, _, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", "--password-file", password, "-o", report, xlsx)
	assert.Equal(t, exitFailed, code, errs)
	assert.NotContains(t, errs, "报告已用名册的密码")
	f, err := excelize.OpenFile(report)
	require.NoError(t, err, "the report opens without a password")
	require.NoError(t, f.Close())
}

func TestAuditEncryptedWorkbook(t *testing.T) {
	dir := t.TempDir()
	roll := filepath.Join(dir, "花名册.xlsx")
	f, err := excelize.OpenFile("../../testdata/rolls/example.xlsx")
	require.NoError(t, err)
	require.NoError(t, f.SaveAs(roll, excelize.Options{Password: "残联 2025"}))
	require.NoError(t, f.Close())
	password := filepath.Join(dir, "password.txt")
	require.NoError(t, os.WriteFile(password, []byte("\ufeff残联 2025\r\n"), 0o600))

	code, _, errs := runCLI(t, "", "audit", "--as-of", "2025-06-30", roll)
	assert.Equal(t, exitIO, code, errs)
	assert.Contains(t, errs, "花名册.xlsx 已加密（设有打开密码）：用 --password-file 给出存放密码的文件")

	wrong := filepath.Join(dir, "wrong.txt")
	require.NoError(t, os.WriteFile(wrong, []byte("残联2025\n"), 0o600))
	code, _, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", "--password-file", wrong, roll)
	assert.Equal(t, exitIO, code, errs)
	assert.Contains(t, errs, "花名册.xlsx：密码不对，无法打开")

	code, got, errs := runCLI(t, "", "audit", "--as-of", "2025-06-30", "--password-file", password, roll)
	assert.Equal(t, exitFailed, code, errs, "the example roll has findings")
	assert.Contains(t, errs, "records 40 = evaluated 39 + invalid 1 (balanced)")
	plain := filepath.Join(t.TempDir(), "花名册.xlsx")
	book, err := os.ReadFile("../../testdata/rolls/example.xlsx")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(plain, book, 0o644))
	_, want, _ := runCLI(t, "", "audit", "--as-of", "2025-06-30", plain)
	assert.Equal(t, strings.ReplaceAll(want, plain, roll), got, "the report is the unencrypted roll's")
	assert.Contains(t, errs, "注意：名册设有密码，JSONL 报告却无法加密，其中有名册中的身份证号")

	// An Excel report is encrypted with the roll's password.
	report := filepath.Join(dir, "报告.xlsx")
	code, _, errs = runCLI(t, "", "audit", "--as-of", "2025-06-30", "--password-file", password, "-o", report, roll)
	assert.Equal(t, exitFailed, code, errs)
	assert.Contains(t, errs, "报告已用名册的密码（--password-file）加密")
	assert.True(t, audit.Encrypted(report))
	_, err = excelize.OpenFile(report)
	assert.Error(t, err, "the report does not open without the password")
	rf, err := excelize.OpenFile(report, excelize.Options{Password: "残联 2025"})
	require.NoError(t, err)
	defer rf.Close()
	assert.Contains(t, rf.GetSheetList(), "汇总")
}

// TestAuditTemplate: entitle audit --template writes a blank roll, an Excel
// workbook or a CSV directory, that entitle audit then reads; it does not
// write over one that exists, and makes the directory it goes in.
func TestAuditTemplate(t *testing.T) {
	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "新建", "花名册.xlsx"), filepath.Join(dir, "csv")} {
		code, stdout, stderr := runCLI(t, "", "audit", "--template", out)
		require.Equal(t, 0, code, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "已写出空白名册 "+out)
		code, _, stderr = runCLI(t, "", "audit", "--as-of", "2025-06-30", out)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, "记录 0 条 = 已评估 0 + 无效 0")
		code, _, stderr = runCLI(t, "", "audit", "--template", out)
		assert.Equal(t, exitIO, code)
		assert.Contains(t, stderr, "已存在，未覆盖")
	}
}
