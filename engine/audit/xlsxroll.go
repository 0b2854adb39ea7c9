package audit

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"entitle/engine/household"

	"github.com/xuri/excelize/v2"
)

// Sheet names of an Excel roll (花名册): English or Chinese.
var sheetNames = map[string][]string{
	"households": {"households", "户"},
	"members":    {"members", "成员"},
	"payments":   {"payments", "发放"},
}

// sheetCells turns the cells of a workbook's sheet (.xlsx or .xls) into
// the text a record reads. Cells are read as Excel keeps them, not as it
// shows them: a date is a serial number whatever its display format
// (06-10-66, 1966年6月10日), an amount a number whatever its currency
// format (¥2,480.00).
type sheetCells struct {
	file     string
	sheet    string
	date1904 bool // serial numbers count from 1904 (old Mac workbooks)
}

func (t *sheetCells) name() string { return fmt.Sprintf("%s[%s]", t.file, t.sheet) }

// unreadable: a workbook's text is Unicode (UTF-16 in an .xls, checked by
// the XML parser in an .xlsx).
func (t *sheetCells) unreadable(string) (en, zh string) { return "", "" }

// xlsxTable reads one sheet of an .xlsx workbook, streaming its rows.
type xlsxTable struct {
	sheetCells
	rows *excelize.Rows
	line int
}

func (t *xlsxTable) next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, 0, household.Errorf("%s cannot be read after row %d: %v", "%s 第 %d 行之后无法读取：%v", t.name(), t.line, err)
		}
		return nil, 0, io.EOF
	}
	t.line++
	cols, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, household.Errorf("%s row %d cannot be read: %v", "%s 第 %d 行无法读取：%v", t.name(), t.line, err)
	}
	return cols, t.line, nil
}

// value is the text a record reads for a raw cell of the column path: a
// date or month kept as a serial number becomes YYYY-MM-DD or YYYY-MM (an
// ISO date cell its date), an amount a formula left with binary noise
// (760.09999999999991) is rounded to the fen. Anything else is as kept.
func (t *sheetCells) value(path, cell string) string {
	switch {
	case path == "birth_date" || path == "as_of":
		if d, ok := t.serial(cell); ok {
			return d.Format("2006-01-02")
		}
	case path == "start" || path == "end":
		if d, ok := t.serial(cell); ok {
			return d.Format("2006-01")
		}
	case path == "monthly" || path == "employment.costs" || strings.HasPrefix(path, "income."):
		return roundNoise(cell)
	}
	return cell
}

// serial reads a date kept as Excel's serial number (days since 1900, or
// 1904), or an ISO date cell (1966-06-10T00:00:00Z).
func (t *sheetCells) serial(cell string) (time.Time, bool) {
	if len(cell) > 10 && cell[10] == 'T' {
		d, err := time.Parse("2006-01-02", cell[:10])
		return d, err == nil
	}
	if strings.ContainsAny(cell, "eE+-") {
		return time.Time{}, false
	}
	v, err := strconv.ParseFloat(cell, 64)
	// 1 is 1900-01-01; 109575 is 2200-01-01, well after any date a roll
	// holds. A larger number is no date Excel keeps but digits typed in:
	// 202503 is the month YYYYMM (as a serial, a day in 2454), 19660610 the
	// date YYYYMMDD, which the record reads as such.
	if err != nil || v < 1 || v >= 109575 {
		return time.Time{}, false
	}
	d, err := excelize.ExcelDateToTime(math.Floor(v), t.date1904)
	return d, err == nil
}

// roundNoise rounds a number within a millionth of a fen of a whole fen to
// that fen; a number with more decimals than that is left for the amount's
// check to refuse.
func roundNoise(cell string) string {
	dot := strings.IndexByte(cell, '.')
	if dot < 0 || len(cell)-dot-1 <= 2 || strings.ContainsAny(cell, "eE") {
		return cell
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return cell
	}
	fen := math.Round(v * 100)
	if math.Abs(v*100-fen) > 1e-6 {
		return cell
	}
	return strconv.FormatFloat(fen/100, 'f', 2, 64)
}

// OpenXLSX opens a roll kept as an Excel workbook with the sheets
// households, members and payments (or 户, 成员, 发放). Rows are streamed.
func OpenXLSX(path string, opts ...TabularOption) (*TabularReader, error) {
	c, err := workbookOptions(path, opts)
	if err != nil {
		return nil, err
	}
	f, err := openWorkbook(path, c.password)
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
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	names, err := rollSheets(path, f.GetSheetList())
	if err != nil {
		closeAll()
		return nil, err
	}
	for _, name := range names {
		rows, err := f.Rows(name)
		if err != nil {
			closeAll()
			return nil, household.Errorf("%s[%s] cannot be read: %v", "%s 的工作表“%s”无法读取：%v", path, name, err)
		}
		rowsList = append(rowsList, rows)
		tables = append(tables, &xlsxTable{sheetCells: sheetCells{file: base, sheet: name, date1904: date1904}, rows: rows})
	}
	r, err := newTabularReader(tables[0], tables[1], tables[2], c)
	if err != nil {
		closeAll()
		return nil, err
	}
	r.closers = append(r.closers, closerFunc(func() error { closeAll(); return nil }))
	return r, nil
}

// workbookOptions applies opts for a workbook roll, refusing an encoding:
// a workbook's text is Unicode.
func workbookOptions(path string, opts []TabularOption) (tabularConfig, error) {
	c, err := tabularOptions(opts)
	if err == nil && c.encoding != "" && c.encoding != EncodingAuto {
		err = household.Errorf("%s: an Excel workbook keeps its text as Unicode; an encoding (%s) applies to CSV files only",
			"%s：Excel 工作簿中的文字总是 Unicode，字符编码（%s）只适用于 CSV 文件", path, c.encoding)
	}
	return c, err
}

// rollSheets names the sheets of a workbook's roll, households, members
// and payments (or 户, 成员, 发放), among the workbook's sheets.
func rollSheets(path string, sheets []string) ([]string, error) {
	var names []string
	for _, kind := range tableKinds {
		i := slices.IndexFunc(sheetNames[kind], func(n string) bool { return slices.Contains(sheets, n) })
		if i < 0 {
			return nil, household.Errorf("%s: no sheet %q (or %q)", "%s：没有工作表“%s”（或“%s”）", path, sheetNames[kind][0], sheetNames[kind][1])
		}
		names = append(names, sheetNames[kind][i])
	}
	return names, nil
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }
