package xls_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"entitle/engine/internal/xls"
	"entitle/engine/internal/xls/xlstest"
)

func openCells(t *testing.T) *xls.Workbook {
	t.Helper()
	f, err := os.Open("testdata/cells.xls")
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	w, err := xls.Open(f)
	require.NoError(t, err)
	return w
}

// TestSameAsLibreOffice reads cells.xls and compares every cell with what
// LibreOffice read from it and saved as cells.xlsx (testdata/make.sh), as
// excelize reads that raw. LibreOffice writes numbers to 15 significant
// digits (0.3 for 0.30000000000000004, 1E-007), so numbers are compared as
// numbers, to 15 digits; everything else as text.
func TestSameAsLibreOffice(t *testing.T) {
	w := openCells(t)
	x, err := excelize.OpenFile("testdata/cells.xlsx")
	require.NoError(t, err)
	defer x.Close()
	require.Equal(t, x.GetSheetList(), w.Sheets)
	assert.False(t, w.Date1904)
	cells := 0
	for _, sheet := range w.Sheets {
		got, err := w.Rows(sheet)
		require.NoError(t, err)
		want, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		require.Len(t, got, len(want), sheet)
		for i := range want {
			require.Len(t, got[i], len(want[i]), "%s row %d", sheet, i+1)
			for j := range want[i] {
				if want[i][j] != "" {
					cells++
				}
				g, wv := got[i][j], want[i][j]
				if g == wv {
					continue
				}
				gf, err1 := strconv.ParseFloat(g, 64)
				wf, err2 := strconv.ParseFloat(wv, 64)
				require.True(t, err1 == nil && err2 == nil, "%s row %d column %d: %q, LibreOffice %q", sheet, i+1, j+1, g, wv)
				assert.Equal(t, strconv.FormatFloat(wf, 'g', 15, 64), strconv.FormatFloat(gf, 'g', 15, 64), "%s row %d column %d", sheet, i+1, j+1)
			}
		}
	}
	assert.Greater(t, cells, 400)
}

// TestCells checks cells of each kind by their known values.
func TestCells(t *testing.T) {
	w := openCells(t)
	rows, err := w.Rows("成员")
	require.NoError(t, err)
	at := func(ref string) string {
		col, row, err := excelize.CellNameToCoordinates(ref)
		require.NoError(t, err)
		if row > len(rows) || col > len(rows[row-1]) {
			return ""
		}
		return rows[row-1][col-1]
	}
	for ref, want := range map[string]string{
		"A1": "0", "A3": "-1", "A4": "2480", "A5": "536870911", "A6": "536870912", "A7": "-536870912",
		"A8": "760.1", "A9": "0.01", "A10": "12.34", "A11": "-0.5", "A13": "1.4108119750312E+17", "A14": "1E-07",
		"B2":   "24268", // a date: its serial number (1966-06-10)
		"B4":   "45838.5",
		"C2":   "王建国",
		"C4":   " 前后空格 ",
		"C5":   "第一行\n第二行",
		"C6":   "141081197503120015",
		"D1":   "1", // TRUE
		"D2":   "0",
		"D3":   "4960", // =A4*2
		"D4":   "H1-王建国",
		"D5":   "1", // =A2>0
		"D6":   "#DIV/0!",
		"D7":   "0.30000000000000004",
		"D8":   "", // ="" is no value
		"D9":   "#N/A",
		"E1":   "粗体与常规 plain", // rich text: its runs are formatting only
		"IV1":  "最后一列",
		"A40":  "after a gap",
		"G1":   strings.Repeat("长", 5000), // longer than a record: goes on in CONTINUE records
		"G2":   strings.Repeat("a", 9000),
		"F1":   "残疾人两项补贴0",
		"F399": "mixed 混合 398 " + strings.Repeat("z", 398%50),
	} {
		assert.Equal(t, want, at(ref), ref)
	}
	assert.Len(t, rows, 400)
	assert.Len(t, rows[38], 6, "row 39 has a value in column F only")
	assert.Len(t, rows[0], 256, "row 1 runs to column IV")
}

func TestNumber(t *testing.T) {
	tenth := 0.1
	for v, want := range map[float64]string{
		0: "0", 2480: "2480", -1: "-1", 760.1: "760.1", tenth + 0.2: "0.30000000000000004",
		141081197503120000: "1.4108119750312E+17", 1e15: "1E+15", 999999999999999: "999999999999999",
		1e-7: "1E-07", 0.00001: "0.00001",
	} {
		assert.Equal(t, want, xls.Number(v), v)
	}
}

// TestNotAWorkbook: compound files that hold no Excel 97–2003 workbook.
func TestNotAWorkbook(t *testing.T) {
	dir := t.TempDir()
	// An .xlsx saved with a password is a compound file without a Workbook
	// stream.
	enc := filepath.Join(dir, "enc.xlsx")
	f := excelize.NewFile()
	require.NoError(t, f.SaveAs(enc, excelize.Options{Password: "pw"}))
	r, err := os.Open(enc)
	require.NoError(t, err)
	defer r.Close()
	_, err = xls.Open(r)
	assert.ErrorIs(t, err, xls.ErrNotWorkbook)

	_, err = xls.Open(strings.NewReader("not a compound file at all, just some text"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a compound file")
	assert.False(t, errors.Is(err, xls.ErrNotWorkbook))
}

// TestCompoundFiles: what Open says of compound files holding a workbook
// saved with a password, an Excel 5.0/95 one, or no workbook.
func TestCompoundFiles(t *testing.T) {
	filePass := append(xlstest.BOF(), xlstest.Record(0x002F, []byte{1, 0, 1, 0})...)
	for name, c := range map[string]struct {
		file []byte
		want error
	}{
		"password": {xlstest.Compound("Workbook", filePass), xls.ErrEncrypted},
		"Excel 95": {xlstest.Compound("Book", xlstest.BOF()), xls.ErrOldFormat},
		"Word":     {xlstest.Compound("WordDocument", []byte("text")), xls.ErrNotWorkbook},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := xls.Open(bytes.NewReader(c.file))
			assert.ErrorIs(t, err, c.want)
		})
	}
	// One sheet named in Chinese, with one cell.
	sheetAt := len(xlstest.BOF()) + len(xlstest.Record(0x0085, make([]byte, 6), xlstest.ShortString("成员"))) + len(xlstest.EOF())
	stream := bytes.Join([][]byte{
		xlstest.BOF(),
		xlstest.Record(0x0085, []byte{byte(sheetAt), byte(sheetAt >> 8), 0, 0, 0, 0}, xlstest.ShortString("成员")),
		xlstest.EOF(),
		xlstest.BOF(),
		xlstest.Record(0x027E, []byte{1, 0, 2, 0, 0x0F, 0}, []byte{0x62, 0x26, 0, 0}), // C2: RK 2456
		xlstest.EOF(),
	}, nil)
	w, err := xls.Open(bytes.NewReader(xlstest.Compound("Workbook", stream)))
	require.NoError(t, err)
	assert.Equal(t, []string{"成员"}, w.Sheets)
	rows, err := w.Rows("成员")
	require.NoError(t, err)
	assert.Equal(t, [][]string{nil, {"", "", "2456"}}, rows)
}
