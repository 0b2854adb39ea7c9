package audit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
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
