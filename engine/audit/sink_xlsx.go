package audit

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"entitle/engine/rulepack"
)

// maxSheetRows is Excel's limit of rows on one sheet.
const maxSheetRows = 1 << 20

// XLSXSink writes an Excel report: a summary sheet (with the
// reconciliation), then one sheet per finding class. Rows are streamed to
// temporary files, so memory stays flat; a class with more findings than a
// sheet holds continues on "NAME (2)".
type XLSXSink struct {
	tableNames
	lang    string
	w       io.Writer
	f       *excelize.File
	summary string
	sheets  map[Class]*classSheet
	// MaxRows is the rows a sheet may take (Excel's limit by default).
	MaxRows int
	// Password, when set, encrypts the workbook with it, as Excel's
	// 用密码进行加密 does: the report of a roll sent with a password holds
	// the same citizen IDs.
	Password string

	amountStyle  int          // 0.00
	findingKinds []numberKind // how each finding column is written
}

// numberKind says how a report column is written: as text, or as a whole
// number or an amount (two decimals) that a spreadsheet can sum. Codes and
// identifiers (户编号, 身份证号, 行政区划代码) stay text.
type numberKind uint8

const (
	asText numberKind = iota
	asCount
	asAmount
)

// findingNumbers and summaryNumbers are the numeric columns of the
// findings sheets and of the summary, by their English header.
var (
	findingNumbers = map[string]numberKind{"record": asCount, "expected": asAmount, "paid": asAmount, "difference": asAmount}
	summaryNumbers = map[string]numberKind{
		"eligible": asCount, "eligible_paid": asCount, "eligible_shall": asCount, "paid": asCount, "paid_due": asCount,
		"coverage_percent": asAmount, "overpaid_monthly": asAmount, "underpaid_monthly": asAmount, "underpaid_unknown_amounts": asCount,
	}
)

// kindsOf lists how each of the columns is written; a column named for a
// finding class holds a count.
func kindsOf(cols [][2]string, numbers map[string]numberKind) []numberKind {
	out := make([]numberKind, len(cols))
	for i, c := range cols {
		out[i] = numbers[c[1]]
		if slices.ContainsFunc(Classes[:], func(x ClassInfo) bool { return string(x.Class) == c[1] }) {
			out[i] = asCount
		}
	}
	return out
}

// values turns a row's text into cell values: numbers where the column is
// numeric and the text is one, text otherwise (an empty cell stays empty).
func (s *XLSXSink) values(cells []string, kinds []numberKind) []any {
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
		if i >= len(kinds) || c == "" {
			continue
		}
		switch kinds[i] {
		case asCount:
			if n, err := strconv.Atoi(c); err == nil {
				vals[i] = n
			}
		case asAmount:
			if v, err := strconv.ParseFloat(c, 64); err == nil {
				vals[i] = excelize.Cell{StyleID: s.amountStyle, Value: v}
			}
		}
	}
	return vals
}

type classSheet struct {
	base string
	part int
	sw   *excelize.StreamWriter
	rows int
}

// NewXLSXSink writes the workbook to w when the audit finishes.
func NewXLSXSink(pack *rulepack.Pack, w io.Writer, lang string) (*XLSXSink, error) {
	s := &XLSXSink{tableNames: tableNames{pack}, lang: lang, w: w, f: excelize.NewFile(), sheets: map[Class]*classSheet{}, MaxRows: maxSheetRows}
	s.summary = "汇总"
	if lang == "en" {
		s.summary = "Summary"
	}
	if err := s.f.SetSheetName("Sheet1", s.summary); err != nil {
		return nil, err
	}
	var err error
	if s.amountStyle, err = s.f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil {
		return nil, err
	}
	s.findingKinds = kindsOf(findingHeader, findingNumbers)
	for _, c := range Classes {
		name := c.Sheet.Zh
		if lang == "en" {
			name = c.Sheet.En
		}
		cs := &classSheet{base: name, part: 1}
		if err := s.open(cs, name); err != nil {
			return nil, err
		}
		s.sheets[c.Class] = cs
	}
	return s, nil
}

func (s *XLSXSink) open(cs *classSheet, name string) error {
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	cs.sw, cs.rows = sw, 0
	if err := sw.SetColWidth(1, len(findingHeader), 14); err != nil {
		return err
	}
	return s.row(cs, header(findingHeader, s.lang))
}

func (s *XLSXSink) row(cs *classSheet, cells []string) error {
	cs.rows++
	kinds := s.findingKinds
	if cs.rows == 1 {
		kinds = nil // the header
	}
	cell, _ := excelize.CoordinatesToCellName(1, cs.rows)
	return cs.sw.SetRow(cell, s.values(cells, kinds))
}

// Finding writes one finding to its class's sheet.
func (s *XLSXSink) Finding(f *Finding) error {
	cs := s.sheets[f.Class]
	if cs == nil {
		return fmt.Errorf("no sheet for class %q", f.Class)
	}
	if cs.rows >= s.MaxRows {
		if err := cs.sw.Flush(); err != nil {
			return err
		}
		cs.part++
		if err := s.open(cs, fmt.Sprintf("%s (%d)", cs.base, cs.part)); err != nil {
			return err
		}
	}
	return s.row(cs, s.findingRow(f, s.lang))
}

// Finish writes the summary sheet and saves the workbook.
func (s *XLSXSink) Finish(r *Report) error {
	for _, c := range Classes {
		if err := s.sheets[c.Class].sw.Flush(); err != nil {
			return err
		}
	}
	sw, err := s.f.NewStreamWriter(s.summary)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(summaryColumns()), 12); err != nil {
		return err
	}
	n := 0
	put := func(cells []string, kinds []numberKind) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, s.values(cells, kinds))
	}
	put(header(summaryColumns(), s.lang), nil)
	kinds := kindsOf(summaryColumns(), summaryNumbers)
	for i := range r.Summary {
		if err := put(summaryRow(&r.Summary[i], s.lang), kinds); err != nil {
			return err
		}
	}
	put(nil, nil)
	// The reconciliation's counts are numbers; its date, pack and list text.
	for _, row := range reconciliationRows(r, s.lang) {
		if err := put(row, []numberKind{asText, asCount}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	s.f.SetActiveSheet(0)
	if _, err := s.f.WriteTo(s.w, excelize.Options{Password: s.Password}); err != nil {
		return err
	}
	return s.f.Close()
}

// Close releases the workbook's temporary files (after Finish, or instead
// of it when the audit failed).
func (s *XLSXSink) Close() error { return s.f.Close() }
