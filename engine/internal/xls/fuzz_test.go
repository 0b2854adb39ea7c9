package xls

import (
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzParse reads any Workbook stream: the result is an error or sheets
// whose rows keep within the format's limits and hold valid text; never a
// panic.
func FuzzParse(f *testing.F) {
	sst := rec(recSST, u32(1), u32(1), u16(2), []byte{0x0D}, u16(1), u32(2), []byte("H1"), make([]byte, 6))
	f.Add(stream([][]byte{sst, rec(recDateMode, u16(1))},
		rec(recLabelSST, cellHead(3, 1), u32(0)),
		rec(recMulRK, u16(1, 0), u16(0x0F), u32(7<<2|2), u16(0x0F), u32(5<<2|3), u16(1)),
		rec(recFormula, cellHead(2, 2), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6)),
		rec(recString, u16(4), []byte{1}, []byte("c\x00a\x00l\x00c\x00")),
		rec(recContinue, []byte{0, 'x'}),
		bof8, rec(recEOF)))
	f.Add(stream([][]byte{rec(recFilePass, u16(1))}))
	f.Add(rec(recBOF, u16(0x0500)))
	if r, err := os.Open("testdata/cells.xls"); err == nil {
		if w, err := Open(r); err == nil {
			f.Add(w.stream)
		}
		r.Close()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range w.Sheets {
			rows, err := w.Rows(s)
			if err != nil {
				continue
			}
			if len(rows) > MaxRows {
				t.Fatalf("sheet %q: %d rows", s, len(rows))
			}
			for i, r := range rows {
				if len(r) > MaxColumns {
					t.Fatalf("sheet %q row %d: %d cells", s, i+1, len(r))
				}
				if len(r) > 0 && r[len(r)-1] == "" {
					t.Fatalf("sheet %q row %d ends in an empty cell", s, i+1)
				}
				for _, c := range r {
					if !utf8.ValidString(c) {
						t.Fatalf("sheet %q row %d: %q is not UTF-8", s, i+1, c)
					}
				}
			}
		}
	})
}
