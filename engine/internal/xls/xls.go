// Package xls reads the cell values of an Excel 97–2003 workbook (.xls, the
// BIFF8 format, or a WPS .et workbook kept in it): the sheets' names and,
// for each sheet, its rows of cells as text. It reads values, not
// formatting, as excelize's RawCellValue does for an .xlsx workbook: a
// number is its shortest decimal (2480, 760.1; see Number), a date its
// serial number, a formula its cached result, and a boolean 1 or 0.
//
// The format is described in [MS-XLS] (Microsoft, Excel Binary File Format
// Structure). A workbook is a compound file ([MS-CFB]) whose stream
// Workbook holds a sequence of records: a globals substream (the shared
// strings, the sheets and where each begins), then one substream a sheet.
//
// No well-kept Go library reads the format, so this one does, for values
// only. A workbook in an older format (Excel 5.0/95, BIFF5), or saved with
// a password, is refused with ErrOldFormat or ErrEncrypted.
//
// [MS-XLS]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-xls/
// [MS-CFB]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-cfb/
package xls

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// Errors of a file that is not a workbook this package reads.
var (
	// ErrNotWorkbook: the compound file holds no workbook stream (it is a
	// Word document, say).
	ErrNotWorkbook = errors.New("not an Excel workbook: no Workbook stream")
	// ErrOldFormat: a workbook in a format before Excel 97 (BIFF5 or
	// earlier, Excel 5.0/95).
	ErrOldFormat = errors.New("an Excel 5.0/95 (BIFF5) or older workbook")
	// ErrEncrypted: a workbook saved with a password to open (the record
	// FILEPASS).
	ErrEncrypted = errors.New("an .xls workbook saved with a password")
)

// DamagedError is a workbook stream that ends inside a record, or a record
// that does not hold what its type says.
type DamagedError struct {
	Offset int    // of the record in the Workbook stream
	Record uint16 // its type; 0 when no record is at fault
	Msg    string
}

func (e *DamagedError) Error() string {
	if e.Record == 0 {
		return fmt.Sprintf("damaged workbook at byte %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("damaged workbook: record 0x%04X at byte %d: %s", e.Record, e.Offset, e.Msg)
}

// Limits of the format: 65,536 rows and 256 columns a sheet.
const (
	MaxRows    = 65536
	MaxColumns = 256
)

// Record types read (MS-XLS 2.3).
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recRString    = 0x00D6
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809
)

// Workbook is an open workbook: its sheets and its shared strings. Its
// stream is held in memory (a sheet holds at most 65,536 rows).
type Workbook struct {
	// Sheets are the worksheets in the workbook's order (chart and macro
	// sheets left out).
	Sheets []string
	// Date1904 is true when dates count days from 1904 (old Mac
	// workbooks), not 1900.
	Date1904 bool

	stream  []byte
	offsets map[string]int // sheet name → offset of its BOF record
	sst     []string
}

// Open reads the workbook in the compound file r.
func Open(r io.ReaderAt) (*Workbook, error) {
	doc, err := mscfb.New(r)
	if err != nil {
		return nil, fmt.Errorf("not a compound file: %w", err)
	}
	old := false
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if len(entry.Path) > 0 {
			continue // a stream inside a storage, not the workbook's own
		}
		// A compound file's names are compared without case (MS-CFB 2.6.4).
		switch strings.ToLower(entry.Name) {
		case "workbook":
			stream, err := io.ReadAll(entry)
			if err != nil {
				return nil, fmt.Errorf("the Workbook stream cannot be read: %w", err)
			}
			return Parse(stream)
		case "book":
			old = true
		}
	}
	if old {
		return nil, ErrOldFormat
	}
	return nil, ErrNotWorkbook
}

// Parse reads a Workbook stream's globals: its sheets, shared strings and
// date system.
func Parse(stream []byte) (*Workbook, error) {
	w := &Workbook{stream: stream, offsets: map[string]int{}}
	rr := records{data: stream}
	first := true
	for {
		rec, err := rr.next()
		if err == io.EOF {
			return nil, &DamagedError{Offset: rr.pos, Msg: "the stream ends before the globals' EOF record"}
		}
		if err != nil {
			return nil, err
		}
		if first {
			if err := checkBOF(rec); err != nil {
				return nil, err
			}
			first = false
			continue
		}
		switch rec.typ {
		case recEOF:
			return w, nil
		case recFilePass:
			return nil, ErrEncrypted
		case recDateMode:
			w.Date1904 = len(rec.data) >= 2 && binary.LittleEndian.Uint16(rec.data) == 1
		case recBoundSheet:
			if err := w.boundSheet(rec); err != nil {
				return nil, err
			}
		case recSST:
			if w.sst, err = readSST(rec); err != nil {
				return nil, err
			}
		}
	}
}

// checkBOF requires a BIFF8 beginning-of-substream record.
func checkBOF(rec record) error {
	if rec.typ != recBOF {
		if rec.typ == 0x0009 || rec.typ == 0x0209 || rec.typ == 0x0409 {
			return ErrOldFormat // BOF of BIFF2, BIFF3 or BIFF4
		}
		return &DamagedError{Offset: rec.offset, Record: rec.typ, Msg: "the stream does not begin with a BOF record"}
	}
	if len(rec.data) < 2 {
		return &DamagedError{Offset: rec.offset, Record: rec.typ, Msg: "short BOF record"}
	}
	if binary.LittleEndian.Uint16(rec.data) != 0x0600 {
		return ErrOldFormat
	}
	return nil
}

// boundSheet records a sheet: where its substream begins, its kind and
// its name.
func (w *Workbook) boundSheet(rec record) error {
	d := rec.data
	if len(d) < 8 {
		return rec.damaged("short BOUNDSHEET record")
	}
	offset := int(binary.LittleEndian.Uint32(d))
	kind := d[5] // 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module
	name, err := shortString(d[6:])
	if err != nil {
		return rec.damaged("sheet name: " + err.Error())
	}
	if kind != 0 {
		return nil
	}
	if _, dup := w.offsets[name]; !dup {
		w.Sheets = append(w.Sheets, name)
	}
	w.offsets[name] = offset
	return nil
}

// Rows reads the sheet's rows, the first row first: each row's cells as
// text, "" for an empty cell, without the empty cells after its last
// value; a row without values is empty. Rows after the last with a value
// are left out.
func (w *Workbook) Rows(sheet string) ([][]string, error) {
	offset, ok := w.offsets[sheet]
	if !ok {
		return nil, fmt.Errorf("no sheet %q", sheet)
	}
	if offset < 0 || offset >= len(w.stream) {
		return nil, &DamagedError{Offset: offset, Record: recBoundSheet, Msg: fmt.Sprintf("sheet %q begins outside the stream", sheet)}
	}
	s := sheetReader{wb: w, rr: records{data: w.stream, pos: offset}}
	return s.read()
}

// sheetReader gathers one sheet's cells.
type sheetReader struct {
	wb   *Workbook
	rr   records
	rows [][]string
	// formulaAt is the cell of a FORMULA record whose string result the
	// next STRING record holds.
	formulaAt  [2]int
	formulaStr bool
}

func (s *sheetReader) read() ([][]string, error) {
	depth := 0 // nested substreams: a chart inside the sheet has its own BOF…EOF
	for {
		rec, err := s.rr.next()
		if err == io.EOF {
			return nil, &DamagedError{Offset: s.rr.pos, Msg: "the stream ends before the sheet's EOF record"}
		}
		if err != nil {
			return nil, err
		}
		if depth == 0 {
			if err := checkBOF(rec); err != nil {
				return nil, err
			}
			depth = 1
			continue
		}
		switch rec.typ {
		case recBOF:
			depth++
			continue
		case recEOF:
			depth--
			if depth == 0 {
				return s.rows, nil
			}
			continue
		}
		if depth > 1 {
			continue
		}
		if err := s.cell(rec); err != nil {
			return nil, err
		}
	}
}

// cell reads a record holding one or more cells' values.
func (s *sheetReader) cell(rec record) error {
	switch rec.typ {
	case recString:
		if !s.formulaStr {
			return nil // a STRING record that follows no string formula: ignore it
		}
		s.formulaStr = false
		text, err := unicodeString(rec.fragments())
		if err != nil {
			return rec.damaged("formula result: " + err.Error())
		}
		return s.set(rec, s.formulaAt[0], s.formulaAt[1], text)
	case recNumber, recRK, recMulRK, recLabelSST, recLabel, recRString, recBoolErr, recFormula:
		s.formulaStr = false
	default:
		return nil // formatting, row heights, objects…
	}
	d := rec.data
	if len(d) < 6 {
		return rec.damaged("short cell record")
	}
	row, col := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
	switch rec.typ {
	case recNumber:
		if len(d) < 14 {
			return rec.damaged("short NUMBER record")
		}
		return s.set(rec, row, col, Number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
	case recRK:
		if len(d) < 10 {
			return rec.damaged("short RK record")
		}
		return s.set(rec, row, col, Number(rk(binary.LittleEndian.Uint32(d[6:]))))
	case recMulRK:
		n := (len(d) - 6) / 6
		if n < 1 || len(d) != 6+6*n {
			return rec.damaged("MULRK record of the wrong length")
		}
		for i := range n {
			v := rk(binary.LittleEndian.Uint32(d[4+6*i+2:]))
			if err := s.set(rec, row, col+i, Number(v)); err != nil {
				return err
			}
		}
		return nil
	case recLabelSST:
		if len(d) < 10 {
			return rec.damaged("short LABELSST record")
		}
		i := int(binary.LittleEndian.Uint32(d[6:]))
		if i < 0 || i >= len(s.wb.sst) {
			return rec.damaged(fmt.Sprintf("shared string %d of %d", i, len(s.wb.sst)))
		}
		return s.set(rec, row, col, s.wb.sst[i])
	case recLabel, recRString:
		frags := rec.fragments()
		frags[0] = frags[0][6:]
		text, err := unicodeString(frags)
		if err != nil {
			return rec.damaged(err.Error())
		}
		return s.set(rec, row, col, text)
	case recBoolErr:
		if len(d) < 8 {
			return rec.damaged("short BOOLERR record")
		}
		return s.set(rec, row, col, boolErr(d[6], d[7] != 0))
	case recFormula:
		if len(d) < 14 {
			return rec.damaged("short FORMULA record")
		}
		res := d[6:14]
		if res[6] != 0xFF || res[7] != 0xFF {
			return s.set(rec, row, col, Number(math.Float64frombits(binary.LittleEndian.Uint64(res))))
		}
		switch res[0] {
		case 0: // a string, in the STRING record that follows
			s.formulaAt, s.formulaStr = [2]int{row, col}, true
			return nil
		case 1:
			return s.set(rec, row, col, boolErr(res[2], false))
		case 2:
			return s.set(rec, row, col, boolErr(res[2], true))
		}
		return nil // 3: the empty string
	}
	return nil
}

// set puts the text of a cell.
func (s *sheetReader) set(rec record, row, col int, text string) error {
	if col >= MaxColumns {
		return rec.damaged(fmt.Sprintf("column %d beyond the format's %d", col+1, MaxColumns))
	}
	if text == "" {
		return nil
	}
	for len(s.rows) <= row {
		s.rows = append(s.rows, nil)
	}
	r := s.rows[row]
	for len(r) <= col {
		r = append(r, "")
	}
	r[col] = text
	s.rows[row] = r
	return nil
}

// Number writes a cell's number as the shortest decimal that reads back as
// the same number, in E notation from 1E+15 and below 1E-5: an 18-digit ID
// kept as a number reads 1.4108119750312E+17, the form the citizen-ID check
// (H014) names as a spreadsheet's. Writers of .xlsx differ in the digits
// they keep (LibreOffice writes 15 significant digits: 0.3 for
// 0.30000000000000004), so this is not byte for byte any one of them.
func Number(v float64) string {
	if a := math.Abs(v); a != 0 && (a >= 1e15 || a < 1e-5) {
		return strconv.FormatFloat(v, 'E', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// rk decodes an RK number (MS-XLS 2.5.217): a 30-bit integer or the high
// 30 bits of a float64, divided by 100 if its lowest bit says so.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// boolErr is the text of a boolean (1 or 0, as excelize's raw value) or
// of an error value (#N/A …).
func boolErr(v byte, isErr bool) string {
	if !isErr {
		if v != 0 {
			return "1"
		}
		return "0"
	}
	switch v {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#N/A"
}

// record is one record of the stream, with the CONTINUE records that
// follow it (a record holds at most 8,224 bytes; a longer one, such as the
// shared strings, goes on in CONTINUE records).
type record struct {
	typ    uint16
	offset int
	data   []byte
	more   [][]byte // the CONTINUE records' data
}

func (r record) damaged(msg string) error {
	return &DamagedError{Offset: r.offset, Record: r.typ, Msg: msg}
}

// fragments is the record's data and its CONTINUE records', in order.
func (r record) fragments() [][]byte {
	return append([][]byte{r.data}, r.more...)
}

// records reads a stream's records from pos.
type records struct {
	data []byte
	pos  int
}

func (rr *records) next() (record, error) {
	rec, err := rr.one()
	if err != nil {
		return rec, err
	}
	for {
		save := rr.pos
		c, err := rr.one()
		if err != nil || c.typ != recContinue {
			rr.pos = save
			return rec, nil
		}
		rec.more = append(rec.more, c.data)
	}
}

func (rr *records) one() (record, error) {
	if rr.pos >= len(rr.data) {
		return record{}, io.EOF
	}
	if len(rr.data)-rr.pos < 4 {
		return record{}, &DamagedError{Offset: rr.pos, Msg: "the stream ends inside a record header"}
	}
	typ := binary.LittleEndian.Uint16(rr.data[rr.pos:])
	size := int(binary.LittleEndian.Uint16(rr.data[rr.pos+2:]))
	start := rr.pos + 4
	if typ == 0 && size == 0 {
		// Padding after the last substream (a stream is kept in whole
		// sectors); nothing follows.
		rr.pos = len(rr.data)
		return record{}, io.EOF
	}
	if len(rr.data)-start < size {
		return record{}, &DamagedError{Offset: rr.pos, Record: typ, Msg: fmt.Sprintf("the stream ends inside the record (%d of %d bytes)", len(rr.data)-start, size)}
	}
	rr.pos = start + size
	return record{typ: typ, offset: start - 4, data: rr.data[start:rr.pos]}, nil
}

// readSST reads the shared strings table (MS-XLS 2.4.265).
func readSST(rec record) ([]string, error) {
	c := &cursor{frags: rec.fragments()}
	head, err := c.bytes(8)
	if err != nil {
		return nil, rec.damaged("short SST record")
	}
	n := int(binary.LittleEndian.Uint32(head[4:])) // unique strings
	size := 0
	for _, f := range c.frags {
		size += len(f)
	}
	if n < 0 || n > (size-8)/3 { // a string takes 3 bytes at least
		return nil, rec.damaged(fmt.Sprintf("%d shared strings, more than the record can hold", n))
	}
	out := make([]string, 0, n)
	for range n {
		s, err := c.richString()
		if err != nil {
			return nil, rec.damaged(fmt.Sprintf("shared string %d: %v", len(out), err))
		}
		out = append(out, s)
	}
	return out, nil
}

// shortString reads a ShortXLUnicodeString: an 8-bit count of characters,
// a flags byte, and the characters.
func shortString(d []byte) (string, error) {
	if len(d) < 2 {
		return "", errors.New("short string")
	}
	n, wide := int(d[0]), d[1]&1 != 0
	size := n
	if wide {
		size *= 2
	}
	if len(d) < 2+size {
		return "", errors.New("the string runs past its record")
	}
	return chars(d[2:2+size], wide), nil
}

// unicodeString reads an XLUnicodeString (a 16-bit count, flags,
// characters) that may go on in CONTINUE records.
func unicodeString(frags [][]byte) (string, error) {
	return (&cursor{frags: frags}).richString()
}

// cursor reads across a record and its CONTINUE records.
type cursor struct {
	frags [][]byte
	i     int // fragment
	off   int // offset in it
}

// bytes reads n bytes, going on into the next fragments.
func (c *cursor) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if c.i >= len(c.frags) {
			return nil, io.ErrUnexpectedEOF
		}
		f := c.frags[c.i]
		take := min(n-len(out), len(f)-c.off)
		out = append(out, f[c.off:c.off+take]...)
		c.off += take
		if c.off == len(f) {
			c.i, c.off = c.i+1, 0
		}
	}
	return out, nil
}

// skip passes over n bytes.
func (c *cursor) skip(n int) error {
	for n > 0 {
		if c.i >= len(c.frags) {
			return io.ErrUnexpectedEOF
		}
		take := min(n, len(c.frags[c.i])-c.off)
		c.off += take
		n -= take
		if c.off == len(c.frags[c.i]) {
			c.i, c.off = c.i+1, 0
		}
	}
	return nil
}

// richString reads an XLUnicodeRichExtendedString (MS-XLS 2.5.293), or an
// XLUnicodeString, which is one without its optional parts: a 16-bit
// count of characters, flags, the count of formatting runs and the size
// of the phonetic data if the flags say so, the characters, then the runs
// and the phonetic data (read past). Characters going on in a CONTINUE
// record begin it with a new flags byte saying whether they are 8 or 16
// bits wide.
func (c *cursor) richString() (string, error) {
	head, err := c.bytes(3)
	if err != nil {
		return "", err
	}
	n, flags := int(binary.LittleEndian.Uint16(head)), head[2]
	runs, ext := 0, 0
	if flags&0x08 != 0 {
		b, err := c.bytes(2)
		if err != nil {
			return "", err
		}
		runs = int(binary.LittleEndian.Uint16(b))
	}
	if flags&0x04 != 0 {
		b, err := c.bytes(4)
		if err != nil {
			return "", err
		}
		ext = int(binary.LittleEndian.Uint32(b))
		if ext < 0 {
			return "", errors.New("negative size of phonetic data")
		}
	}
	wide := flags&0x01 != 0
	var units []uint16
	for len(units) < n {
		if c.i >= len(c.frags) {
			return "", io.ErrUnexpectedEOF
		}
		f := c.frags[c.i]
		if c.off == 0 {
			// The characters go on in a CONTINUE record (or begin there,
			// the header having ended the last one): a new flags byte.
			if len(f) == 0 {
				c.i++
				continue
			}
			wide = f[0]&0x01 != 0
			c.off = 1
		}
		width := 1
		if wide {
			width = 2
		}
		take := min(n-len(units), (len(f)-c.off)/width)
		for k := range take {
			p := c.off + k*width
			if wide {
				units = append(units, binary.LittleEndian.Uint16(f[p:]))
			} else {
				units = append(units, uint16(f[p]))
			}
		}
		c.off += take * width
		switch {
		case c.off == len(f):
			c.i, c.off = c.i+1, 0
		case len(units) < n:
			return "", errors.New("a character split between records")
		}
	}
	if err := c.skip(4*runs + ext); err != nil {
		return "", err
	}
	return string(utf16.Decode(units)), nil
}

// chars decodes 8-bit (the low byte of each UTF-16 unit, "compressed") or
// 16-bit characters.
func chars(b []byte, wide bool) string {
	if !wide {
		units := make([]uint16, len(b))
		for i, x := range b {
			units[i] = uint16(x)
		}
		return string(utf16.Decode(units))
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(units))
}
