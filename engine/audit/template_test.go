package audit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine/audit"
	"entitle/engine/internal/testengine"
)

// TestTemplateXLSX: the blank roll is read by the audit as it is; a
// household entered in it with the values its drop-downs offer is audited;
// its coded and yes/no columns offer their Chinese names, the id columns
// are kept as text, and its guide has a row for every column.
func TestTemplateXLSX(t *testing.T) {
	eng := testengine.Engine(t)
	var buf bytes.Buffer
	require.NoError(t, audit.WriteTemplateXLSX(&buf, eng.Pack()))
	path := filepath.Join(t.TempDir(), "roll.xlsx")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))

	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	// The column of each header, by table.
	col := func(table, header string) string {
		rows, err := f.GetRows(table)
		require.NoError(t, err)
		i := slices.Index(rows[0], header)
		require.GreaterOrEqual(t, i, 0, "%s has %s", table, header)
		name, _ := excelize.ColumnNumberToName(i + 1)
		return name
	}
	// The values a column's drop-down offers.
	offered := func(table, header string) []string {
		c := col(table, header)
		dvs, err := f.GetDataValidations(table)
		require.NoError(t, err)
		for _, dv := range dvs {
			if strings.HasPrefix(dv.Sqref, c+"2:") {
				ref := strings.ReplaceAll(strings.TrimPrefix(dv.Formula1, "'取值'!"), "$", "")
				from, to, _ := strings.Cut(ref, ":")
				var out []string
				cols, err := f.GetCols("取值")
				require.NoError(t, err)
				n, _, _ := excelize.SplitCellName(from)
				i, _ := excelize.ColumnNameToNumber(n)
				_, first, _ := excelize.SplitCellName(from)
				_, last, _ := excelize.SplitCellName(to)
				for r := first; r <= last; r++ {
					out = append(out, cols[i-1][r-1])
				}
				return out
			}
		}
		return nil
	}
	assert.Equal(t, []string{"视力", "听力", "言语", "肢体", "智力", "精神", "多重"}, offered("members", "残疾类别"))
	assert.Equal(t, []string{"一级", "二级", "三级", "四级"}, offered("members", "残疾等级"))
	assert.Equal(t, []string{"是", "否"}, offered("members", "需要长期照护"))
	assert.Equal(t, []string{"城镇", "农村"}, offered("households", "城乡类别"))
	assert.Contains(t, offered("payments", "待遇代码"), "重度残疾人护理补贴")
	assert.Nil(t, offered("members", "姓名"), "free text has no drop-down")
	visible, err := f.GetSheetVisible("取值")
	require.NoError(t, err)
	assert.False(t, visible, "the lists are on a hidden sheet")
	style, err := f.GetCellStyle("members", col("members", "身份证号")+"2")
	require.NoError(t, err)
	s, err := f.GetStyle(style)
	require.NoError(t, err)
	assert.Equal(t, 49, s.NumFmt, "citizen IDs are kept as text")
	guide, err := f.GetRows("填写说明")
	require.NoError(t, err)
	assert.Len(t, guide, len(audit.Columns)+2, "a row for each column, after the note and the header")
	assert.Contains(t, guide[len(guide)-1], "截止月份")

	// A household entered with the drop-downs' values.
	set := func(table, header, v string) {
		require.NoError(t, f.SetCellStr(table, col(table, header)+"2", v))
	}
	for header, v := range map[string]string{"户编号": "H1", "行政区划代码": "141081", "城乡类别": "城镇", "救助状态": "低保"} {
		set("households", header, v)
	}
	for header, v := range map[string]string{"户编号": "H1", "成员编号": "M1", "身份证号": "141081200309200024",
		"残疾类别": "智力", "残疾等级": "二级", "需要长期照护": "是", "领取工伤保险生活护理费": "否"} {
		set("members", header, v)
	}
	for header, v := range map[string]string{"户编号": "H1", "成员编号": "M1", "待遇代码": "重度残疾人护理补贴", "月发放金额": "100", "起始月份": "2025-01"} {
		set("payments", header, v)
	}
	require.NoError(t, f.Save())
	require.NoError(t, f.Close())
	r, err := audit.OpenXLSX(path)
	require.NoError(t, err)
	c := runAudit(t, eng, r, 1)
	rec := c.report.Reconciliation
	assert.Equal(t, 1, rec.Records)
	assert.Equal(t, 1, rec.Evaluated, "%+v", c.findings)
	assert.Equal(t, 1, rec.PaymentsChecked)
}

// TestTemplateCSV: the blank CSV roll holds the template's headers, opens
// in Excel as UTF-8 (a byte-order mark), is read by the audit as it is, and
// is not written over a roll that exists.
func TestTemplateCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "roll")
	require.NoError(t, audit.WriteTemplateCSV(dir))
	raw, err := os.ReadFile(filepath.Join(dir, "payments.csv"))
	require.NoError(t, err)
	assert.Equal(t, "\ufeff户编号,成员编号,待遇代码,月发放金额,起始月份,截止月份\n", string(raw))
	r, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	c := runAudit(t, testengine.Engine(t), r, 1)
	assert.Zero(t, c.report.Reconciliation.Records)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "members.csv"), []byte("kept"), 0o644))
	assert.ErrorIs(t, audit.WriteTemplateCSV(dir), os.ErrExist)
	kept, err := os.ReadFile(filepath.Join(dir, "members.csv"))
	require.NoError(t, err)
	assert.Equal(t, "kept", string(kept))
}

// TestTemplateDeterministic: the blank workbook is the same bytes each time.
func TestTemplateDeterministic(t *testing.T) {
	pack := testengine.Engine(t).Pack()
	var a, b bytes.Buffer
	require.NoError(t, audit.WriteTemplateXLSX(&a, pack))
	require.NoError(t, audit.WriteTemplateXLSX(&b, pack))
	assert.Equal(t, a.Bytes(), b.Bytes())
}
