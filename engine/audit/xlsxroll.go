package audit

import (
	"fmt"
	"io"

	"entitle/engine/household"

	"github.com/xuri/excelize/v2"
)

// Sheet names of an Excel roll (花名册): English or Chinese.
var sheetNames = map[string][]string{
	"households": {"households", "户"},
	"members":    {"members", "成员"},
	"payments":   {"payments", "发放"},
}

type xlsxTable struct {
	file  string
	sheet string
	rows  *excelize.Rows
	line  int
}

func (t *xlsxTable) name() string { return fmt.Sprintf("%s[%s]", t.file, t.sheet) }

func (t *xlsxTable) next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	t.line++
	cols, err := t.rows.Columns()
	if err != nil {
		return nil, 0, fmt.Errorf("%s row %d: %w", t.name(), t.line, err)
	}
	return cols, t.line, nil
}

// OpenXLSX opens a roll kept as an Excel workbook with the sheets
// households, members and payments (or 户, 成员, 发放). Rows are streamed.
func OpenXLSX(path string) (*TabularReader, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	base := path
	var tables []table
	var rowsList []*excelize.Rows
	closeAll := func() {
		for _, r := range rowsList {
			r.Close()
		}
		f.Close()
	}
	present := map[string]bool{}
	for _, s := range f.GetSheetList() {
		present[s] = true
	}
	for _, kind := range []string{"households", "members", "payments"} {
		name := ""
		for _, n := range sheetNames[kind] {
			if present[n] {
				name = n
				break
			}
		}
		if name == "" {
			closeAll()
			return nil, household.Errorf("%s: no sheet %q (or %q)", "%s：没有工作表“%s”（或“%s”）", path, sheetNames[kind][0], sheetNames[kind][1])
		}
		rows, err := f.Rows(name)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("%s[%s]: %w", path, name, err)
		}
		rowsList = append(rowsList, rows)
		tables = append(tables, &xlsxTable{file: base, sheet: name, rows: rows})
	}
	r, err := newTabularReader(tables[0], tables[1], tables[2])
	if err != nil {
		closeAll()
		return nil, err
	}
	r.closers = append(r.closers, closerFunc(func() error { closeAll(); return nil }))
	return r, nil
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }
