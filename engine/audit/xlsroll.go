package audit

import (
	"errors"
	"io"
	"os"

	"entitle/engine/household"
	"entitle/engine/internal/xls"
)

// xlsTable reads one sheet of an Excel 97–2003 workbook. Its rows are read
// whole when the roll is opened: a sheet holds at most 65,536.
type xlsTable struct {
	sheetCells
	rows [][]string
	line int
}

func (t *xlsTable) next() ([]string, int, error) {
	if t.line >= len(t.rows) {
		return nil, 0, io.EOF
	}
	t.line++
	return t.rows[t.line-1], t.line, nil
}

// OpenXLS opens a roll kept as an Excel 97–2003 workbook (.xls, the format
// old case-management systems export, or a WPS .et workbook kept in it),
// with the sheets households, members and payments (or 户, 成员, 发放), read
// as OpenXLSX reads an .xlsx. Such a workbook holds at most 65,536 rows a
// sheet, which are read whole. One saved with a password to open, or in
// the Excel 5.0/95 format, is refused with what to do instead: save it as
// an .xlsx workbook.
func OpenXLS(path string, opts ...TabularOption) (*TabularReader, error) {
	c, err := workbookOptions(path, opts)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	w, err := xls.Open(f)
	f.Close()
	if err != nil {
		return nil, xlsError(path, err)
	}
	names, err := rollSheets(path, w.Sheets)
	if err != nil {
		return nil, err
	}
	var tables []table
	for _, name := range names {
		rows, err := w.Rows(name)
		if err != nil {
			return nil, household.Errorf("%s[%s] cannot be read: %v; open it in Excel or WPS and save it as an .xlsx workbook",
				"%s 的工作表“%s”无法读取（%v）：请在 Excel 或 WPS 中打开并另存为 .xlsx 工作簿", path, name, err)
		}
		tables = append(tables, &xlsTable{sheetCells: sheetCells{file: path, sheet: name, date1904: w.Date1904}, rows: rows})
	}
	return newTabularReader(tables[0], tables[1], tables[2], c)
}

// xlsError says, in English and Chinese, why an .xls workbook cannot be
// read and what to do.
func xlsError(path string, err error) error {
	var damaged *xls.DamagedError
	switch {
	case errors.Is(err, xls.ErrEncrypted):
		return household.Errorf("%s is an Excel 97–2003 workbook saved with a password, which cannot be read in that format: open it in Excel or WPS and save it as an .xlsx workbook (keep the password and give it with --password-file, or remove it)",
			"%s 是设有打开密码的旧版 Excel（.xls）工作簿，这种格式加密后无法读取：请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿（可保留密码，再用 --password-file 给出；或取消密码）", path)
	case errors.Is(err, xls.ErrOldFormat):
		return household.Errorf("%s is a workbook in the Excel 5.0/95 format, older than Excel 97–2003: open it in Excel or WPS and save it as an .xlsx workbook",
			"%s 是 Excel 5.0/95 格式的工作簿，比 Excel 97–2003 更旧：请在 Excel 或 WPS 中打开并另存为 .xlsx 工作簿", path)
	case errors.Is(err, xls.ErrNotWorkbook):
		return household.Errorf("%s is an Office compound file but holds no Excel 97–2003 workbook (a Word document?): if it opens in Excel or WPS as a workbook, save it as an .xlsx workbook",
			"%s 是 Office 复合文档，但其中没有 Excel 97–2003 工作簿（可能是 Word 文档）：如能在 Excel 或 WPS 中作为表格打开，请另存为 .xlsx 工作簿", path)
	case errors.As(err, &damaged):
		return household.Errorf("%s is damaged (%v): open it in Excel or WPS and save it as an .xlsx workbook",
			"%s 已损坏（%v）：请在 Excel 或 WPS 中打开并另存为 .xlsx 工作簿", path, err)
	}
	return household.Errorf("%s cannot be read as an Excel 97–2003 workbook (.xls): %v",
		"%s 无法作为旧版 Excel 工作簿（.xls）读取：%v", path, err)
}

// OpenWorkbook opens a roll kept as an Excel workbook in either format,
// told by its first bytes: OpenXLSX for an .xlsx (also one saved with a
// password), OpenXLS for an Excel 97–2003 workbook.
func OpenWorkbook(path string, opts ...TabularOption) (*TabularReader, error) {
	if WorkbookFile(path) == "xls" && !Encrypted(path) {
		return OpenXLS(path, opts...)
	}
	return OpenXLSX(path, opts...)
}

// WorkbookFile tells a workbook by the file's first bytes, as
// household.WorkbookForm does: "xlsx" for a zip, "xls" for a compound file
// (Excel 97–2003, WPS, or an .xlsx saved with a password), "" for anything
// else or a file that cannot be read.
func WorkbookFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	return household.WorkbookForm(head[:n])
}
