package audit_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine/audit"
)

// TestExcelCellsAsKept: a workbook as a caseworker keeps it, with dates in
// date cells (shown 1966/6/10, 2025年6月30日 or 06-10-66), a bare serial
// number, a yes/no cell, an amount in a currency format and one a formula
// left with binary noise, is read to the values Excel holds, not to the
// text its formats show.
func TestExcelCellsAsKept(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	style := func(format string) int {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		require.NoError(t, err)
		return id
	}
	builtin := func(numFmt int) int {
		id, err := f.NewStyle(&excelize.Style{NumFmt: numFmt})
		require.NoError(t, err)
		return id
	}
	set := func(sheet, cell string, v any, styleID int) {
		require.NoError(t, f.SetCellValue(sheet, cell, v))
		if styleID != 0 {
			require.NoError(t, f.SetCellStyle(sheet, cell, cell, styleID))
		}
	}
	require.NoError(t, f.SetSheetName("Sheet1", "户"))
	for _, s := range []string{"成员", "发放"} {
		_, err := f.NewSheet(s)
		require.NoError(t, err)
	}
	require.NoError(t, f.SetSheetRow("户", "A1", &[]string{"户编号", "行政区划代码", "评估日期"}))
	set("户", "A2", "H1", 0)
	set("户", "B2", 141081, 0)
	set("户", "C2", time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), style(`yyyy"年"m"月"d"日"`))

	require.NoError(t, f.SetSheetRow("成员", "A1", &[]string{"户编号", "成员编号", "出生日期", "是否残疾", "残疾类别", "残疾等级", "工资收入", "其他收入", "养老金收入"}))
	set("成员", "A2", "H1", 0)
	set("成员", "B2", "M1", 0)
	set("成员", "C2", time.Date(1966, 6, 10, 0, 0, 0, 0, time.UTC), builtin(14)) // shown 06-10-66
	set("成员", "D2", true, 0)
	set("成员", "E2", "肢体残疾", 0)
	set("成员", "F2", 1, 0)
	set("成员", "G2", 2480, style(`"¥"#,##0.00`))
	require.NoError(t, f.SetCellFormula("成员", "H2", "0.1+0.2"))
	set("成员", "H2", 0.1+0.2, 0) // the value a formula leaves: 0.30000000000000004
	set("成员", "I2", 1200.5, 0)
	set("成员", "A3", "H1", 0)
	set("成员", "B3", "M2", 0)
	set("成员", "C3", 22750, 0) // a bare serial number: 1962-04-14
	set("成员", "D3", "否", 0)

	require.NoError(t, f.SetSheetRow("发放", "A1", &[]string{"户编号", "成员编号", "待遇代码", "月发放金额", "起始月份"}))
	set("发放", "A2", "H1", 0)
	set("发放", "B2", "M1", 0)
	set("发放", "C2", "living_allowance", 0)
	set("发放", "D2", 100, style(`0.00`))
	set("发放", "E2", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), style(`yyyy"年"m"月"`))

	path := filepath.Join(t.TempDir(), "roll.xlsx")
	require.NoError(t, f.SaveAs(path))

	r, err := audit.OpenXLSX(path)
	require.NoError(t, err)
	e := firstEntry(t, r)
	h := e.Household
	assert.Equal(t, "141081", h.Jurisdiction)
	require.NotNil(t, h.AsOf)
	assert.Equal(t, "2025-06-30", h.AsOf.String())
	require.Len(t, h.Members, 2)
	m := h.Members[0]
	require.NotNil(t, m.BirthDate)
	assert.Equal(t, "1966-06-10", m.BirthDate.String())
	require.NotNil(t, m.Disabled)
	assert.True(t, *m.Disabled)
	require.NotNil(t, m.Income)
	assert.Equal(t, "2480.00", m.Income.Wages.String())
	assert.Equal(t, "0.30", m.Income.Other.String())
	assert.Equal(t, "1200.50", m.Income.Pension.String())
	require.NotNil(t, h.Members[1].BirthDate)
	assert.Equal(t, "1962-04-14", h.Members[1].BirthDate.String())
	require.Len(t, e.Payments, 1)
	p := e.Payments[0]
	assert.Equal(t, "2025-03", p.Start.String())
	require.NotNil(t, p.Monthly)
	assert.Equal(t, "100.00", p.Monthly.String())
}
