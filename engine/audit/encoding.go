package audit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"entitle/engine/household"
)

// TextEncoding is how the bytes of a CSV roll are read. Excel's Chinese
// editions save "CSV" in the Windows code page (GBK) unless told to save
// "CSV UTF-8", so a roll exported on a township's PC is often GBK.
type TextEncoding string

// The encodings a CSV roll may be read in.
const (
	// EncodingAuto reads a file as UTF-8 unless its start (the first
	// 64 KiB) is not UTF-8, and then as GB18030. A start that is UTF-8
	// but for a few characters (cells pasted in from a GBK file) is read
	// as UTF-8, and those cells are reported. The default.
	EncodingAuto TextEncoding = "auto"
	// EncodingUTF8 reads every file as UTF-8 (with or without a BOM).
	EncodingUTF8 TextEncoding = "utf-8"
	// EncodingGB18030 reads every file as GB18030, the national standard
	// that contains GBK and GB2312.
	EncodingGB18030 TextEncoding = "gb18030"
)

// errUTF16: a file that starts with UTF-16's byte-order mark, as Excel's
// "Unicode text" export does; refused, with what to save instead.
var errUTF16 = errors.New("UTF-16 text")

// sniffBytes is how much of a file EncodingAuto looks at.
const sniffBytes = 64 << 10

// ParseEncoding reads an encoding's name in any case: auto, utf-8 (utf8),
// or gb18030, gbk or gb2312 (all read as GB18030, which contains the other
// two).
func ParseEncoding(name string) (TextEncoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "gb18030", "gbk", "gb2312", "cp936":
		return EncodingGB18030, nil
	}
	return "", household.Errorf("unknown encoding %q: auto, utf-8 or gb18030 (gbk)", "未知的字符编码 %q：可用 auto、utf-8 或 gb18030（gbk）", name)
}

// Encoding reads the files of a CSV roll in enc (see TextEncoding). An
// Excel workbook keeps its text as Unicode whatever the machine; given for
// one, any encoding but EncodingAuto is an error.
func Encoding(enc TextEncoding) TabularOption {
	return func(c *tabularConfig) { c.encoding = enc }
}

// FileEncoding is a CSV file read in an encoding other than UTF-8.
type FileEncoding struct {
	Table    string `json:"table"`    // the file
	Encoding string `json:"encoding"` // GB18030
	// Detected: chosen because the file's start is not UTF-8
	// (EncodingAuto), not asked for.
	Detected bool `json:"detected"`
}

// textSource opens a file's bytes as UTF-8 text in enc, and says which
// encoding it read (EncodingUTF8 or EncodingGB18030) and whether it chose
// it by looking (EncodingAuto). A file in UTF-16 is errUTF16.
func textSource(f io.Reader, enc TextEncoding) (*bufio.Reader, TextEncoding, bool, error) {
	br := bufio.NewReaderSize(f, sniffBytes)
	if bom, _ := br.Peek(2); household.UTF16(bom) {
		return nil, "", false, errUTF16
	}
	detected := false
	if enc == EncodingAuto || enc == "" {
		detected = true
		enc = EncodingUTF8
		head, _ := br.Peek(sniffBytes)
		if !mostlyUTF8(head, len(head) == sniffBytes) {
			enc = EncodingGB18030
		}
	}
	if enc == EncodingGB18030 {
		return bufio.NewReader(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())), enc, detected, nil
	}
	return br, enc, detected, nil
}

// mostlyUTF8 reports whether head reads as UTF-8: it is UTF-8, or its
// characters beyond ASCII are mostly well-formed UTF-8 (a UTF-8 file with a
// few cells pasted in from elsewhere, which are then reported cell by
// cell). Text in GBK is almost never well-formed UTF-8: its two-byte
// characters do not have UTF-8's shape. cut says head is a cut of a longer
// text, which may end inside a character.
func mostlyUTF8(head []byte, cut bool) bool {
	if cut {
		for k := 1; k <= utf8.UTFMax && k <= len(head); k++ {
			if utf8.RuneStart(head[len(head)-k]) {
				head = head[:len(head)-k]
				break
			}
		}
	}
	if utf8.Valid(head) {
		return true
	}
	good, bad := 0, 0
	for i := 0; i < len(head); {
		if head[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			bad++
		} else {
			good++
		}
		i += n
	}
	return good > bad
}

// unreadable says, in English and Chinese, why a cell read in enc is not
// text, or gives "" when it is: bytes that are not UTF-8, or that GB18030
// has no character for (the decoder leaves U+FFFD there). detected says
// how the encoding was chosen, which the words explain with what to do.
func unreadable(cell string, enc TextEncoding, detected bool) (en, zh string) {
	if enc == EncodingGB18030 && !strings.ContainsRune(cell, utf8.RuneError) ||
		enc != EncodingGB18030 && utf8.ValidString(cell) {
		return "", ""
	}
	w := unreadableWords[enc]
	how := w.asked
	if detected {
		how = w.detected
	}
	return w.not[0] + how[0], w.not[1] + how[1]
}

// unreadableWords are unreadable's words for each encoding, in English and
// Chinese: what the cell is not, and why the file was read so when the
// encoding was detected or asked for (--encoding).
var unreadableWords = map[TextEncoding]struct{ not, detected, asked [2]string }{
	EncodingUTF8: {
		not: [2]string{"not UTF-8 text", "不是 UTF-8 编码的文字"},
		detected: [2]string{" (the file is read as UTF-8 because its start is; a file must be saved in one encoding: save it again as UTF-8)",
			"（文件开头是 UTF-8，因此按 UTF-8 读取；一个文件须整个用同一种编码保存：请重新另存为 UTF-8）"},
		asked: [2]string{" (read as UTF-8 as --encoding asks; if the file is GBK, give --encoding gb18030 or leave it out)",
			"（按 --encoding 的要求以 UTF-8 读取；文件若是 GBK 编码，请改用 --encoding gb18030 或去掉该选项）"},
	},
	EncodingGB18030: {
		not: [2]string{"not GB18030 (GBK) text: some of its bytes are no character", "不是 GB18030（GBK）编码的文字：其中有的字节不成字"},
		detected: [2]string{" (the file is read as GB18030 because its start is not UTF-8; a file must be saved in one encoding)",
			"（文件开头不是 UTF-8，因此按 GB18030 读取；一个文件须整个用同一种编码保存）"},
		asked: [2]string{" (read as GB18030 as --encoding asks; if the file is UTF-8, leave --encoding out)",
			"（按 --encoding 的要求以 GB18030 读取；文件若是 UTF-8，请去掉 --encoding）"},
	},
}

// cellProblem is the H001 problem of cell i of a row that is not text in
// its file's encoding, if it is not.
func cellProblem(s *sheet, i int, cell string, row *tableRow) (Problem, bool) {
	en, zh := s.t.unreadable(cell)
	if en == "" {
		return Problem{}, false
	}
	field := ""
	if i < len(s.paths) {
		field = s.paths[i]
	}
	return Problem{Ref: fmt.Sprintf("%s:%d", s.t.name(), row.line), Field: field, Code: string(household.CodeSyntax),
		Msg: fmt.Sprintf("cell %d: %s", i+1, en), Zh: fmt.Sprintf("第 %d 格：%s", i+1, zh)}, true
}
