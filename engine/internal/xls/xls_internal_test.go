package xls

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/internal/xls/xlstest"
)

var rec = xlstest.Record

func u16(v ...uint16) []byte {
	var out []byte
	for _, x := range v {
		out = binary.LittleEndian.AppendUint16(out, x)
	}
	return out
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func f64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

var bof8 = xlstest.BOF()

// stream is a workbook stream of one worksheet named "S" whose cell
// records are cells, after globals holding the records globals.
func stream(globals [][]byte, cells ...[]byte) []byte {
	var g []byte
	g = append(g, bof8...)
	for _, r := range globals {
		g = append(g, r...)
	}
	sheet := func(offset int) []byte {
		return rec(recBoundSheet, u32(uint32(offset)), []byte{0, 0}, xlstest.ShortString("S"))
	}
	size := len(g) + len(sheet(0)) + len(rec(recEOF))
	g = append(g, sheet(size)...)
	g = append(g, xlstest.EOF()...)
	g = append(g, bof8...)
	for _, c := range cells {
		g = append(g, c...)
	}
	return append(g, xlstest.EOF()...)
}

func cellHead(row, col uint16) []byte { return u16(row, col, 0x0F) }

func TestRK(t *testing.T) {
	for _, c := range []struct {
		rk   uint32
		want float64
	}{
		{2<<2 | 2, 2},                // integer 2
		{uint32(0xFFFFFFFC) | 2, -1}, // integer -1
		{1234<<2 | 3, 12.34},         // integer 1234 / 100
		{uint32(math.Float64bits(1.5) >> 32), 1.5},
		{uint32(math.Float64bits(760.5)>>32) | 1, 7.605},
	} {
		assert.Equal(t, c.want, rk(c.rk), "%#x", c.rk)
	}
}

// TestStringsAcrossRecords: a string's characters go on in a CONTINUE
// record that begins with a new flags byte, which may switch between 8-
// and 16-bit characters; its formatting runs and phonetic data may span
// records too and are read past.
func TestStringsAcrossRecords(t *testing.T) {
	wide := func(s string) []byte {
		var out []byte
		for _, r := range s {
			out = binary.LittleEndian.AppendUint16(out, uint16(r))
		}
		return out
	}
	for name, c := range map[string]struct {
		frags [][]byte
		want  []string
	}{
		"narrow then wide": {
			[][]byte{append(u16(5), append([]byte{0}, "ab"...)...), append([]byte{1}, wide("残疾人")...)},
			[]string{"ab残疾人"},
		},
		"wide then narrow": {
			[][]byte{append(u16(4), append([]byte{1}, wide("补贴")...)...), append([]byte{0}, "xy"...)},
			[]string{"补贴xy"},
		},
		"header ends the record": {
			[][]byte{append(u16(2), 0), append([]byte{1}, wide("低保")...)},
			[]string{"低保"},
		},
		"next string begins a record, no flags byte": {
			[][]byte{append(u16(1), 0, 'a'), append(u16(1), 1, 0x4F4E&0xFF, 0x4F4E>>8)},
			[]string{"a", "低"},
		},
		"runs and phonetic data span the record": {
			[][]byte{
				bytes.Join([][]byte{u16(2), {0x0C}, u16(2), u32(6), []byte("ok"), make([]byte, 5)}, nil),
				bytes.Join([][]byte{make([]byte, 3), make([]byte, 6), u16(1), {0}, []byte("z")}, nil),
			},
			[]string{"ok", "z"},
		},
		"empty string": {[][]byte{append(u16(0), 0), append(u16(1), 0, 'q')}, []string{"", "q"}},
	} {
		t.Run(name, func(t *testing.T) {
			c1 := &cursor{frags: c.frags}
			for _, want := range c.want {
				got, err := c1.richString()
				require.NoError(t, err)
				assert.Equal(t, want, got)
			}
			assert.Equal(t, len(c.frags), c1.i, "all read")
		})
	}
	_, err := (&cursor{frags: [][]byte{append(u16(3), 1, 'a', 0, 'b')}}).richString()
	assert.Error(t, err, "a string running past its records")
}

// TestSheetCells reads crafted sheets: each cell record, rows with gaps,
// cells out of order.
func TestSheetCells(t *testing.T) {
	sst := rec(recSST, u32(2), u32(2), u16(2), []byte{0}, []byte("H1"), u16(3), []byte{0}, []byte("abc"))
	w, err := Parse(stream([][]byte{rec(recDateMode, u16(1)), sst},
		rec(recLabelSST, cellHead(3, 1), u32(1)),
		rec(recNumber, cellHead(0, 0), f64(760.1)),
		rec(recRK, cellHead(0, 2), u32(2480<<2|2)),
		rec(recMulRK, u16(1, 0), u16(0x0F), u32(7<<2|2), u16(0x0F), u32(5<<2|3), u16(1)),
		rec(recLabel, cellHead(0, 1), u16(2), []byte{0}, []byte("hi")),
		rec(recBoolErr, cellHead(2, 0), []byte{1, 0}),
		rec(recBoolErr, cellHead(2, 1), []byte{0x2A, 1}),
		rec(recFormula, cellHead(2, 2), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6)),
		rec(recString, u16(4), []byte{0}, []byte("calc")),
		rec(recString, u16(5), []byte{0}, []byte("stray")), // follows no formula
		rec(recFormula, cellHead(2, 3), f64(0.5), make([]byte, 6)),
		rec(recFormula, cellHead(2, 4), []byte{3, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6)),
		rec(0x0201, cellHead(5, 0)), // BLANK
		// A chart inside the sheet: its substream's cells are not the sheet's.
		bof8, rec(recNumber, cellHead(9, 0), f64(1)), rec(recEOF),
	))
	require.NoError(t, err)
	assert.True(t, w.Date1904)
	assert.Equal(t, []string{"S"}, w.Sheets)
	rows, err := w.Rows("S")
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"760.1", "hi", "2480"},
		{"7", "0.05"},
		{"1", "#N/A", "calc", "0.5"},
		{"", "abc"},
	}, rows)
	_, err = w.Rows("T")
	assert.Error(t, err)
}

func TestParseErrors(t *testing.T) {
	damaged := func(t *testing.T, err error, want string) {
		t.Helper()
		var d *DamagedError
		require.True(t, errors.As(err, &d), "%v", err)
		assert.Contains(t, d.Error(), want)
	}
	t.Run("BIFF5", func(t *testing.T) {
		_, err := Parse(rec(recBOF, u16(0x0500, 5)))
		assert.ErrorIs(t, err, ErrOldFormat)
		_, err = Parse(rec(0x0409, u16(0, 0x10)))
		assert.ErrorIs(t, err, ErrOldFormat)
	})
	t.Run("password", func(t *testing.T) {
		_, err := Parse(stream([][]byte{rec(recFilePass, u16(1, 1))}))
		assert.ErrorIs(t, err, ErrEncrypted)
	})
	t.Run("not BIFF", func(t *testing.T) {
		_, err := Parse(rec(0x1234, u16(1)))
		damaged(t, err, "does not begin with a BOF")
	})
	t.Run("truncated", func(t *testing.T) {
		s := stream(nil, rec(recNumber, cellHead(0, 0), f64(1)))
		_, err := Parse(s[:len(bof8)+3])
		damaged(t, err, "ends inside a record header")
		_, err = Parse(s[:len(bof8)+6])
		damaged(t, err, "ends inside the record")
		_, err = Parse(bof8)
		damaged(t, err, "before the globals' EOF")
		w, err := Parse(s[:len(s)-6])
		require.NoError(t, err)
		_, err = w.Rows("S")
		damaged(t, err, "ends inside")
	})
	for name, c := range map[string]struct {
		cell []byte
		want string
	}{
		"shared string out of range": {rec(recLabelSST, cellHead(0, 0), u32(7)), "shared string 7 of 0"},
		"column past IV":             {rec(recNumber, cellHead(0, 256), f64(1)), "column 257"},
		"short number":               {rec(recNumber, cellHead(0, 0), []byte{1}), "short NUMBER"},
		"MULRK of the wrong length":  {rec(recMulRK, u16(0, 0), u16(0x0F)), "wrong length"},
		"label past its record":      {rec(recLabel, cellHead(0, 0), u16(9), []byte{0}, []byte("ab")), "unexpected EOF"},
	} {
		t.Run(name, func(t *testing.T) {
			w, err := Parse(stream(nil, c.cell))
			require.NoError(t, err)
			_, err = w.Rows("S")
			damaged(t, err, c.want)
		})
	}
	t.Run("more shared strings than the record holds", func(t *testing.T) {
		_, err := Parse(stream([][]byte{rec(recSST, u32(9), u32(9), u16(1), []byte{0}, []byte("a"))}))
		damaged(t, err, "9 shared strings, more than the record can hold")
	})
	t.Run("sheet outside the stream", func(t *testing.T) {
		g := append(append([]byte{}, bof8...), rec(recBoundSheet, u32(99999), []byte{0, 0}, xlstest.ShortString("S"))...)
		w, err := Parse(append(g, rec(recEOF)...))
		require.NoError(t, err)
		_, err = w.Rows("S")
		damaged(t, err, "outside the stream")
	})
}

// TestSSTContinues: the fixture's shared strings go on in CONTINUE records,
// so cells.xls tests reading across them.
func TestSSTContinues(t *testing.T) {
	f, err := os.Open("testdata/cells.xls")
	require.NoError(t, err)
	defer f.Close()
	w, err := Open(f)
	require.NoError(t, err)
	rr := records{data: w.stream}
	for {
		r, err := rr.next()
		require.NoError(t, err)
		if r.typ == recSST {
			assert.Greater(t, len(r.more), 2, "CONTINUE records of the SST")
			return
		}
	}
}
