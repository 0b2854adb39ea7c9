package audit

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// TemplateColumn is a column of a blank roll (WriteTemplateXLSX), with what
// a caseworker writes in it.
type TemplateColumn struct {
	Column
	// Holds says what the column holds, in Chinese.
	Holds string
	// Form says how a value is written, in Chinese ("" for free text).
	Form string
	// Values are the Chinese names a coded or yes/no column takes, offered
	// as its drop-down; nil for any other column.
	Values []string
}

// TemplateColumns lists the columns of a blank roll in template order
// (Columns), each with what it holds and how it is written; the benefit
// column's values are the names of pack's benefits paid monthly.
func TemplateColumns(pack *rulepack.Pack) []TemplateColumn {
	out := make([]TemplateColumn, 0, len(Columns))
	for _, c := range Columns {
		t := TemplateColumn{Column: c}
		switch c.Path {
		case "household_id":
			t.Holds, t.Form = "户编号：同一户在三张表中相同", "文字（设为文本格式）"
		case "member_id":
			t.Holds, t.Form = "成员编号：户内唯一", "文字（设为文本格式）"
			if c.Table == "payments" {
				t.Holds = "领取待遇的成员（发给全户的待遇，如低保，留空）"
			}
		case "benefit":
			t.Holds, t.Form = "发放的待遇", "待遇名称或代码（entitle rules 列出）"
			for _, b := range pack.Benefits {
				if b.Payment == "monthly" {
					t.Values = append(t.Values, b.Name.Zh)
				}
			}
		case "monthly":
			t.Holds, t.Form = "每月发放金额", "元，例如 100.00"
		case "start":
			t.Holds, t.Form = "开始发放的月份", "月份："+household.MonthFormsZh
		case "end":
			t.Holds, t.Form = "停发的月份（仍在发放的留空）", "月份："+household.MonthFormsZh
		default:
			if l, ok := engine.FieldLabel(c.Path); ok {
				t.Holds = l.Zh
			}
			t.Form, t.Values = cellForm(c.Table, c.Path)
		}
		out = append(out, t)
	}
	return out
}

// cellForm is how a field's cell is written and, for a coded or yes/no
// field, the Chinese names it takes.
func cellForm(table, path string) (string, []string) {
	enum := path
	if table == "members" {
		enum = "members[]." + path
	}
	for _, f := range household.EnumFields {
		if strings.TrimSuffix(f.Path, "[]") == enum {
			names := make([]string, len(f.Codes))
			for i, c := range f.Codes {
				names[i], _ = household.ValueLabel(c, "zh")
			}
			if strings.HasSuffix(f.Path, "[]") {
				return "一项或几项，以“；”分隔；没有的填 无", names
			}
			return "", names
		}
	}
	switch {
	case path == "disability.grade":
		return "一级至四级", []string{"一级", "二级", "三级", "四级"}
	case path == "birth_date" || path == "as_of":
		return "日期：" + household.DateFormsZh, nil
	case path == "jurisdiction":
		return "6 位行政区划代码或地名，例如 141081 或 侯马市", nil
	case path == "citizen_id":
		return "18 位公民身份号码（设为文本格式）", nil
	case path == "disability.certificate_no":
		return "残疾人证号（设为文本格式）", nil
	case path == "income_history":
		return "月份:人均收入，以“；”分隔，例如 2025-03:760.00；2025-04:760.00", nil
	case path == "employment.costs" || strings.HasPrefix(path, "income."):
		return "元/月，例如 300.00", nil
	}
	switch kindOf(table, path) {
	case kindBool:
		return "", []string{"是", "否"}
	case kindInt:
		return "整数", nil
	}
	return "", nil
}

// textColumns are the columns of codes and ids, kept as text so that a
// spreadsheet does not turn an 18-digit ID into a number that loses digits.
var textColumns = map[string]bool{"household_id": true, "member_id": true, "jurisdiction": true,
	"citizen_id": true, "disability.certificate_no": true}

// WriteTemplateXLSX writes a blank roll as an Excel workbook: the sheets
// households, members and payments with the template's headers, the id and
// code columns kept as text, a drop-down of the Chinese names on each coded
// or yes/no column (a help, not a limit: the other names the audit reads
// may be typed too), and a sheet 填写说明 that says, column by column, what
// it holds and how it is written. The audit reads the workbook as it is.
func WriteTemplateXLSX(w io.Writer, pack *rulepack.Pack) error {
	f := excelize.NewFile()
	defer f.Close()
	cols := TemplateColumns(pack)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // @: text
	if err != nil {
		return err
	}
	const lists = "取值"
	for i, table := range tableKinds {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", table); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(table); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(lists); err != nil {
		return err
	}
	n := map[string]int{}
	listCol := 0
	for _, c := range cols {
		n[c.Table]++
		name, _ := excelize.ColumnNumberToName(n[c.Table])
		if err := f.SetCellValue(c.Table, name+"1", c.Zh); err != nil {
			return err
		}
		if textColumns[c.Path] {
			if err := f.SetColStyle(c.Table, name, text); err != nil {
				return err
			}
		}
		if len(c.Values) == 0 {
			continue
		}
		listCol++
		lc, _ := excelize.ColumnNumberToName(listCol)
		if err := f.SetSheetRow(lists, lc+"1", &[]any{tableZh[c.Table] + " " + c.Zh}); err != nil {
			return err
		}
		for j, v := range c.Values {
			if err := f.SetCellValue(lists, fmt.Sprintf("%s%d", lc, j+2), v); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%[1]s2:%[1]s1048576", name))
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", lists, lc, lc, len(c.Values)+1))
		if c.Form != "" {
			dv.SetInput(c.Zh, c.Form)
		}
		if err := f.AddDataValidation(c.Table, dv); err != nil {
			return err
		}
	}
	for _, table := range tableKinds {
		last, _ := excelize.ColumnNumberToName(n[table])
		if err := f.SetCellStyle(table, "A1", last+"1", bold); err != nil {
			return err
		}
		if err := f.SetColWidth(table, "A", last, 14); err != nil {
			return err
		}
		if err := f.SetPanes(table, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if err := writeGuide(f, cols, bold); err != nil {
		return err
	}
	if err := f.SetSheetVisible(lists, false); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// writeGuide adds the sheet 填写说明: a row a column.
func writeGuide(f *excelize.File, cols []TemplateColumn, bold int) error {
	const guide = "填写说明"
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	rows := [][]any{
		{"空白格表示未知，不等于 0 或“否”；金额填每月元数；身份证号、残疾人证号等列请保持文本格式。各列可填的其他写法见 docs/audit.md。"},
		{"工作表", "列名", "字段", "内容", "填写方式", "可选值"},
	}
	for _, c := range cols {
		rows = append(rows, []any{c.Table, c.Zh, c.Path, c.Holds, c.Form, strings.Join(c.Values, "、")})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(guide, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(guide, "A2", "F2", bold); err != nil {
		return err
	}
	for i, width := range []float64{12, 22, 34, 40, 40, 60} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(guide, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// WriteTemplateCSV writes a blank roll as a directory of CSV files, each
// with its header row: households.csv, members.csv and payments.csv, in
// UTF-8 with a byte-order mark so that Excel opens them as UTF-8. It does
// not overwrite a file that exists.
func WriteTemplateCSV(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, table := range tableKinds {
		var header []string
		for _, c := range Columns {
			if c.Table == table {
				header = append(header, c.Zh)
			}
		}
		path := filepath.Join(dir, table+".csv")
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(out, "\ufeff"); err != nil {
			out.Close()
			return err
		}
		cw := csv.NewWriter(out)
		if err := cw.Write(header); err != nil {
			out.Close()
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	}
	return nil
}
