package household

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// NotUTF8 is the H001 error for data that is not UTF-8 text, located at its
// first bad byte: the line, the column (in characters) and the text just
// before it, so that the caseworker can find the field. It is nil when data
// is UTF-8. Text saved as GBK, as Chinese Windows saves it by default, is
// the usual cause; a workbook (zip or Excel 97–2003) given instead of a
// record is named as such.
func NotUTF8(data []byte) *Error {
	if utf8.Valid(data) {
		return nil
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return &Error{Line: 1, Column: 1, Code: CodeSyntax,
			Msg: "this is a spreadsheet workbook (Excel or WPS), not a household record in JSON or YAML; a roll kept in a workbook is audited with `entitle audit`",
			Zh:  "这是电子表格工作簿（Excel 或 WPS），不是 JSON 或 YAML 格式的家庭记录；工作簿中的花名册请用 `entitle audit` 核对"}
	}
	at := 0
	for at < len(data) {
		r, n := utf8.DecodeRune(data[at:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		at += n
	}
	lineStart := bytes.LastIndexByte(data[:at], '\n') + 1
	line := bytes.Count(data[:at], []byte{'\n'}) + 1
	before := []rune(string(data[lineStart:at]))
	col := len(before) + 1
	if len(before) > 16 {
		before = append([]rune("…"), before[len(before)-16:]...)
	}
	where, whereZh := "", "文字"
	if len(before) > 0 {
		where = fmt.Sprintf(" after “%s”", string(before))
		whereZh = fmt.Sprintf("“%s”之后的文字", string(before))
	}
	return &Error{Line: line, Column: col, Code: CodeSyntax,
		Msg: fmt.Sprintf("the text%s is not UTF-8 (saved as GBK? save it as UTF-8)", where),
		Zh:  fmt.Sprintf("%s不是 UTF-8 编码（可能存成了 GBK，请另存为 UTF-8）", whereZh)}
}

// NarrowWidth makes full-width letters, digits and signs ASCII: a Chinese input
// method in full-width mode types a citizen ID as １４１０８１…, a date as
// １９５８年１１月２日 and an amount as ８１２．５０, which look right and would
// otherwise be refused (or, for an ID, not matched as a duplicate). Chinese
// characters have no narrow form and are unchanged, as is ASCII text.
func NarrowWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Narrow.String(s)
		}
	}
	return s
}

// narrowKeys are the fields whose text NarrowWidth makes ASCII: codes, numbers,
// amounts and dates, never names.
var narrowKeys = map[string]bool{"jurisdiction": true, "citizen_id": true, "certificate_no": true,
	"birth_date": true, "as_of": true, "month": true, "grade": true}

// narrowCodes applies NarrowWidth to the codes, amounts and dates of a record
// decoded as generic values (JSON or YAML), before the schema sees them,
// as the fast path does when it reads them.
func narrowCodes(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && (narrowKeys[k] || moneyFields[k]) {
				x[k] = NarrowWidth(s)
				continue
			}
			narrowCodes(val)
		}
	case []any:
		for _, val := range x {
			narrowCodes(val)
		}
	}
}

// emptyIsUnknown are the fields whose "" means unknown, as it does on the
// fast path: the single-valued enum fields (EnumFields without the lists)
// and the numbers a form may leave blank, by path as EnumFields writes it.
var emptyIsUnknown = func() map[string]bool {
	m := map[string]bool{"members[].citizen_id": true, "members[].disability.certificate_no": true}
	for _, f := range EnumFields {
		if !strings.HasSuffix(f.Path, "[]") {
			m[f.Path] = true
		}
	}
	return m
}()

// dropEmpty removes the fields of emptyIsUnknown written as "" from a
// record decoded as generic values, before the schema sees them: "" is
// unknown, as an empty cell of a roll is and as the fast path reads it.
func dropEmpty(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if s, ok := val.(string); ok && s == "" && emptyIsUnknown[p] {
				delete(x, k)
				continue
			}
			dropEmpty(val, p)
		}
	case []any:
		for _, val := range x {
			dropEmpty(val, path+"[]")
		}
	}
}
