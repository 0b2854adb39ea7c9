package household

import (
	"bytes"
	"fmt"
	"unicode/utf8"
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
	if WorkbookForm(data) != "" {
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

// WorkbookForm tells a spreadsheet workbook by its first bytes: "xlsx" for
// a zip (the form of .xlsx, whatever the file is called), "xls" for the
// compound file of Excel 97–2003 and WPS (.xls, .et), "" for anything else.
func WorkbookForm(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "xlsx"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "xls"
	}
	return ""
}

// UTF16 reports whether text starts with UTF-16's byte-order mark, as
// Excel's "Unicode Text" and old Notepad's "Unicode" save it.
func UTF16(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
}
