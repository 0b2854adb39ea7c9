package audit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
	"entitle/engine/internal/xls/xlstest"
)

// TestEncryptedWorkbook: a roll saved with a password to open is refused
// without it, and with a wrong one, each saying so in Chinese; with the
// right one it is audited as the same roll saved without a password.
func TestEncryptedWorkbook(t *testing.T) {
	eng := testengine.Engine(t)
	dir := t.TempDir()
	plain, locked := filepath.Join(dir, "plain.xlsx"), filepath.Join(dir, "locked.xlsx")
	orig, err := os.ReadFile(rolls + "example.xlsx")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(plain, orig, 0o644))
	f, err := excelize.OpenFile(plain)
	require.NoError(t, err)
	require.NoError(t, f.SaveAs(locked, excelize.Options{Password: "花名册2025"}))
	require.NoError(t, f.Close())

	assert.False(t, audit.Encrypted(plain))
	assert.True(t, audit.Encrypted(locked))
	assert.False(t, audit.Encrypted(filepath.Join(dir, "absent.xlsx")))

	_, err = audit.OpenXLSX(locked)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "locked.xlsx is encrypted")
	assert.Contains(t, household.ZhMessage(err), "locked.xlsx 已加密（设有打开密码）：用 --password-file")

	_, err = audit.OpenXLSX(locked, audit.Password("花名册2024"))
	require.Error(t, err)
	assert.Contains(t, household.ZhMessage(err), "locked.xlsx：密码不对")

	// Both are audited at one path, which the findings' references name.
	roll := filepath.Join(dir, "roll.xlsx")
	require.NoError(t, os.WriteFile(roll, orig, 0o644))
	r, err := audit.OpenXLSX(roll)
	require.NoError(t, err)
	want := runAudit(t, eng, r, 2)
	require.NoError(t, r.Close())
	require.NotEmpty(t, want.findings)
	enc, err := os.ReadFile(locked)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(roll, enc, 0o644))
	r, err = audit.OpenXLSX(roll, audit.Password("花名册2025"))
	require.NoError(t, err)
	got := runAudit(t, eng, r, 2)
	require.NoError(t, r.Close())
	assertSameAudit(t, want, got)

	// A password is no bar to a workbook that has none.
	r, err = audit.OpenXLSX(plain, audit.Password("花名册2025"))
	require.NoError(t, err)
	require.NoError(t, r.Close())
}

// TestUnreadableWorkbook: a file that is not an .xlsx workbook is refused
// with its name and, in Chinese, what to do.
func TestUnreadableWorkbook(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"text.xlsx":  []byte("户编号,行政区划代码\nH1,141081\n"),
		"empty.xlsx": nil,
		"zip.xlsx":   []byte("PK\x05\x06" + string(make([]byte, 18))), // an empty zip: no workbook in it
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, data, 0o644))
			_, err := audit.OpenXLSX(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, household.ZhMessage(err), path+" 不是 Excel 工作簿（.xlsx），或文件已损坏")
		})
	}
}

// TestXLSWorkbook: the example roll saved as an Excel 97–2003 workbook is
// audited as the .xlsx it was saved from: the same findings, each naming
// the same sheet and row, and the same reconciliation.
func TestXLSWorkbook(t *testing.T) {
	eng := testengine.Engine(t)
	dir := t.TempDir()
	roll := filepath.Join(dir, "花名册")
	audited := func(src string, open func(string, ...audit.TabularOption) (*audit.TabularReader, error)) *collect {
		b, err := os.ReadFile(rolls + src)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(roll, b, 0o644))
		r, err := open(roll)
		require.NoError(t, err)
		defer r.Close()
		return runAudit(t, eng, r, 2)
	}
	want := audited("example.xlsx", audit.OpenXLSX)
	require.NotEmpty(t, want.findings)
	assertSameAudit(t, want, audited("example.xls", audit.OpenXLS))
	assertSameAudit(t, want, audited("example.xls", audit.OpenWorkbook))

	_, err := audit.OpenXLS(rolls+"example.xls", audit.Encoding(audit.EncodingGB18030))
	require.Error(t, err)
	assert.Contains(t, household.ZhMessage(err), "字符编码（gb18030）只适用于 CSV 文件")
}

// TestUnreadableXLS: compound files that are not an Excel 97–2003 workbook
// this reads are refused with their name and, in Chinese, what to do.
func TestUnreadableXLS(t *testing.T) {
	dir := t.TempDir()
	sheet := func(name string) []byte { // a sheet beginning past the stream's end
		return xlstest.Record(0x0085, []byte{0xFF, 0xFF, 0, 0, 0, 0}, xlstest.ShortString(name))
	}
	globals := func(records ...[]byte) []byte {
		return bytes.Join(append(append([][]byte{xlstest.BOF()}, records...), xlstest.EOF()), nil)
	}
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"password.xls": {xlstest.Compound("Workbook", globals(xlstest.Record(0x002F, []byte{1, 0, 1, 0}))),
			" 是设有打开密码的旧版 Excel（.xls）工作簿，这种格式加密后无法读取：请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿"},
		"excel95.xls": {xlstest.Compound("Book", globals()), " 是 Excel 5.0/95 格式的工作簿，比 Excel 97–2003 更旧"},
		"word.doc":    {xlstest.Compound("WordDocument", []byte("text")), " 是 Office 复合文档，但其中没有 Excel 97–2003 工作簿（可能是 Word 文档）：如能在 Excel 或 WPS 中作为表格打开，请另存为 .xlsx 工作簿"},
		"cut.xls":     {xlstest.Compound("Workbook", xlstest.BOF()), " 已损坏（damaged workbook at byte 4096: the stream ends before the globals' EOF record）"},
		"sheets.xls":  {xlstest.Compound("Workbook", globals(sheet("households"), sheet("成员"))), "：没有工作表“payments”（或“发放”）"},
		"sheet-cut.xls": {xlstest.Compound("Workbook", globals(sheet("households"), sheet("成员"), sheet("发放"))),
			" 的工作表“households”无法读取（damaged workbook"},
		"text.xls": {[]byte("户编号\tH1\n"), " 无法作为旧版 Excel 工作簿（.xls）读取"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, c.data, 0o644))
			_, err := audit.OpenXLS(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, household.ZhMessage(err), path+c.want)
		})
	}
}
