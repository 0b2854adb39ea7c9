package audit

import (
	"fmt"
	"io"

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
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, _ := excelize.CoordinatesToCellName(1, cs.rows)
	return cs.sw.SetRow(cell, vals)
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
	put := func(cells []string) error {
		n++
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	put(header(summaryColumns(), s.lang))
	for i := range r.Summary {
		if err := put(summaryRow(&r.Summary[i], s.lang)); err != nil {
			return err
		}
	}
	put(nil)
	for _, row := range reconciliationRows(r, s.lang) {
		if err := put(row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	s.f.SetActiveSheet(0)
	if _, err := s.f.WriteTo(s.w); err != nil {
		return err
	}
	return s.f.Close()
}

// Close releases the workbook's temporary files (after Finish, or instead
// of it when the audit failed).
func (s *XLSXSink) Close() error { return s.f.Close() }
