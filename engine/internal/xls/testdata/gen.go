//go:build ignore

// gen writes cells-source.xlsx, the workbook that make.sh has LibreOffice
// save as cells.xls (Excel 97–2003) and back as cells.xlsx: every kind of
// cell an .xls keeps, strings long enough to go on in CONTINUE records, and
// a second sheet in the 1904 date system's neighbour, a sheet with gaps.
package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	f := excelize.NewFile()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "成员"))
	set := func(sheet, cell string, v any) { must(f.SetCellValue(sheet, cell, v)) }
	formula := func(sheet, cell, expr string) { must(f.SetCellFormula(sheet, cell, expr)) }

	// Numbers: integers (kept as RK), decimals, large and small ones, an
	// 18-digit ID typed as a number.
	nums := []any{0, 1, -1, 2480, 536870911, 536870912, -536870912, 760.1, 0.01, 12.34, -0.5,
		1e15, 141081197503120015.0, 1e-7, 123456789.123, 3.14159265358979}
	for i, v := range nums {
		set("成员", fmt.Sprintf("A%d", i+1), v)
	}
	// Dates with a date format: kept as serial numbers.
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	for i, s := range []float64{1, 24268, 45838, 45838.5} {
		cell := fmt.Sprintf("B%d", i+1)
		set("成员", cell, s)
		must(f.SetCellStyle("成员", cell, cell, date))
	}
	// Text: ASCII, Chinese, mixed, empty-looking, with a line break.
	texts := []string{"H1", "王建国", "智力残疾二级 grade 2", " 前后空格 ", "第一行\n第二行", "141081197503120015", "是"}
	for i, s := range texts {
		set("成员", fmt.Sprintf("C%d", i+1), s)
	}
	// Booleans, formulas of each result and an error.
	set("成员", "D1", true)
	set("成员", "D2", false)
	formula("成员", "D3", "A4*2")
	formula("成员", "D4", `C1&"-"&C2`)
	formula("成员", "D5", "A2>0")
	formula("成员", "D6", "1/0")
	formula("成员", "D7", "0.1+0.2")
	formula("成员", "D8", `""`)
	formula("成员", "D9", "NA()")
	// Rich text: formatting runs in the shared string.
	must(f.SetCellRichText("成员", "E1", []excelize.RichTextRun{
		{Text: "粗体", Font: &excelize.Font{Bold: true}}, {Text: "与常规 plain"},
	}))
	// The last column of the format, IV (256).
	set("成员", "IV1", "最后一列")
	// A gap, then a row far down.
	set("成员", "A40", "after a gap")
	// Long strings: the shared strings table goes past one record (8,224
	// bytes) and strings are split between records, wide and narrow.
	for i := range 400 {
		cell := fmt.Sprintf("F%d", i+1)
		switch i % 3 {
		case 0:
			set("成员", cell, strings.Repeat("残疾人两项补贴", 1+i%7)+fmt.Sprint(i))
		case 1:
			set("成员", cell, strings.Repeat("ascii only text ", 1+i%9)+fmt.Sprint(i))
		default:
			set("成员", cell, fmt.Sprintf("mixed 混合 %d %s", i, strings.Repeat("z", i%50)))
		}
	}
	// One string longer than a record on its own.
	set("成员", "G1", strings.Repeat("长", 5000))
	set("成员", "G2", strings.Repeat("a", 9000))

	_, err = f.NewSheet("发放")
	must(err)
	set("发放", "A1", "户编号")
	set("发放", "B1", "月发放金额")
	set("发放", "A3", "H2")
	set("发放", "B3", 100)
	must(f.SaveAs("cells-source.xlsx"))
}
