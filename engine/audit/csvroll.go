package audit

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"entitle/engine/household"
)

// csvTable reads one CSV file, in the encoding its start shows or the
// auditor names (see TextEncoding).
type csvTable struct {
	path     string
	r        *csv.Reader
	f        *os.File
	raw      *countingReader // the file's bytes read, for progress
	size     int64
	encoding TextEncoding // EncodingUTF8 or EncodingGB18030
	detected bool         // the encoding was chosen by the file's start
}

func openCSVTable(path string, enc TextEncoding) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	raw := &countingReader{r: f}
	src, enc, detected, err := textSource(raw, enc)
	if err != nil {
		f.Close()
		return nil, household.Errorf("%s: UTF-16 text (Excel's \"Unicode Text\"), not CSV: save it as \"CSV UTF-8 (Comma delimited)\"",
			"%s：这是 UTF-16 文本（Excel 的“Unicode 文本”），不是 CSV：请另存为“CSV UTF-8（逗号分隔）”", filepath.Base(path))
	}
	r := csv.NewReader(src)
	r.Comma = delimiter(src)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &csvTable{path: path, r: r, f: f, raw: raw, encoding: enc, detected: detected}
	if st, err := f.Stat(); err == nil {
		t.size = st.Size()
	}
	return t, nil
}

func (t *csvTable) name() string { return filepath.Base(t.path) }

// value is a CSV cell as written: the text is all there is.
func (t *csvTable) value(_, cell string) string { return cell }

func (t *csvTable) unreadable(cell string) (en, zh string) {
	return unreadable(cell, t.encoding, t.detected)
}

// delimiter is the cell separator of a CSV file, told from its header
// line: a tab when the header has tabs and no comma (Excel's "Text (Tab
// delimited)" export, which Chinese offices often send as .csv), else a
// comma.
func delimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.IndexByte(head, '\t') >= 0 && bytes.IndexByte(head, ',') < 0 {
		return '\t'
	}
	return ','
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, 0, err
		}
		return nil, 0, t.readError(err)
	}
	line, _ := t.r.FieldPos(0)
	return rec, line, nil
}

// readError names the file, line and column of a row that is not CSV, and
// says in both languages how to write it. The audit stops there: a row that
// cannot be split into cells cannot be told apart from the next.
func (t *csvTable) readError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return household.Errorf("%s: %v", "%s：读取失败（%v）", t.name(), err)
	}
	hint, zh := "", "不是有效的 CSV"
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		hint = ` (a cell with a quote mark in it is quoted whole, its quote marks doubled: "a ""b""")`
		zh = `未加引号的单元格中有引号（这样的单元格须整体加引号，其中的引号写两遍，例如 "a ""b"""）`
	case errors.Is(pe.Err, csv.ErrQuote):
		hint = " (a quoted cell lacks its closing quote mark, or a quote mark in it is not doubled)"
		zh = "引号不成对（加引号的单元格缺少结尾的引号，或其中的引号没有写两遍）"
	}
	return household.Errorf("%[1]s:%[2]d:%[3]d: %[4]v%[5]s", "%[1]s:%[2]d:%[3]d：%[6]s",
		t.name(), pe.Line, pe.Column, pe.Err, hint, zh)
}

// OpenCSV opens a roll kept as three CSV files. dir holds households.csv,
// members.csv and payments.csv (or 户.csv, 成员.csv, 发放.csv).
func OpenCSV(dir string, opts ...TabularOption) (*TabularReader, error) {
	find := func(names ...string) string {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		return filepath.Join(dir, names[0])
	}
	return OpenCSVFiles(find("households.csv", "户.csv"), find("members.csv", "成员.csv"), find("payments.csv", "发放.csv"), opts...)
}

// OpenCSVFiles opens a roll from its three CSV files.
func OpenCSVFiles(households, members, payments string, opts ...TabularOption) (*TabularReader, error) {
	c, err := tabularOptions(opts)
	if err != nil {
		return nil, err
	}
	var tables []*csvTable
	closeAll := func() {
		for _, t := range tables {
			t.f.Close()
		}
	}
	for _, p := range []string{households, members, payments} {
		t, err := openCSVTable(p, c.encoding)
		if err != nil {
			closeAll()
			return nil, err
		}
		tables = append(tables, t)
	}
	r, err := newTabularReader(tables[0], tables[1], tables[2], c)
	if err != nil {
		closeAll()
		return nil, err
	}
	for _, t := range tables {
		r.closers = append(r.closers, t.f)
		if t.encoding != EncodingUTF8 {
			r.encodings = append(r.encodings, FileEncoding{Table: t.name(), Encoding: strings.ToUpper(string(t.encoding)), Detected: t.detected})
		}
	}
	h := tables[0]
	r.progress = func() (int64, int64) { return h.raw.n, h.size }
	return r, nil
}

var _ io.Closer = (*TabularReader)(nil)
