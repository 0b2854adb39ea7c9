// Package jsonstr writes JSON strings byte for byte as encoding/json does
// with HTML escaping off (json.Encoder.SetEscapeHTML(false)), faster for
// Chinese text, and keeps the encodings of fixed texts, such as a rule
// pack's quotes and labels, ready to copy.
package jsonstr

import (
	"unicode/utf8"
	"unsafe"
)

const hex = "0123456789abcdef"

// safe marks the ASCII bytes written as they are: all but control
// characters, the quotation mark and the backslash.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// Append appends s to dst as a quoted JSON string: control characters,
// quotation marks and backslashes escaped, U+2028 and U+2029 escaped, and
// each byte of invalid UTF-8 replaced by \ufffd, as encoding/json does.
func Append(dst []byte, s string) []byte {
	dst = append(dst, '"')
	return append(AppendInner(dst, s), '"')
}

// AppendStrings appends a list of strings as encoding/json writes a
// []string: null when nil.
func AppendStrings(dst []byte, list []string) []byte {
	return (*Cache)(nil).AppendStrings(dst, list)
}

// AppendInner appends s as Append does, without the quotation marks: for
// a JSON string written in parts.
func AppendInner(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Most Chinese characters: a lead byte E1 or E3–EC or EE–EF and
		// two continuation bytes is always valid UTF-8 and never U+2028/9
		// (E2 80 A8/A9).
		if (c >= 0xE3 && c <= 0xEC || c == 0xE1 || c == 0xEE || c == 0xEF) && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			start = i + size
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// MinCached is the shortest text a Cache keeps: a shorter one is as quick
// to escape as to look up.
const MinCached = 16

// Cache holds the encodings of fixed texts. Built once, it is only read,
// so any number of goroutines may share it. Whether a text is in it never
// changes what Append writes, only how fast.
//
// A text is found by where its bytes are, not by what they are: a result
// copies the pack's strings, which share the pack's bytes, so the lookup
// hashes two words instead of a long quote. Go strings never change, and
// the cache holds on to the bytes, so the same place and length is always
// the same text.
type Cache struct{ enc *Table[cached] }

type cached struct {
	text string // keeps the bytes the key points at
	enc  string
}

// StringKey is where s's bytes are and how many: the Key of a text.
func StringKey(s string) Key {
	return Key{uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(len(s))}
}

// PairKey is the Key of two texts found together, by their data pointers.
// The caller checks the whole value it finds: two texts may share bytes.
func PairKey(a, b string) Key {
	return Key{uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))}
}

// NewCache encodes the texts at least MinCached bytes long.
func NewCache(texts []string) *Cache {
	c := &Cache{enc: NewTable[cached](len(texts))}
	for _, s := range texts {
		if len(s) >= MinCached {
			k := StringKey(s)
			if _, ok := c.enc.Get(k); !ok {
				c.enc.Put(k, cached{s, string(Append(nil, s))})
			}
		}
	}
	return c
}

// Len is the number of texts kept.
func (c *Cache) Len() int { return c.enc.Len() }

// AppendStrings is AppendStrings with the kept encodings of c (which may
// be nil: none).
func (c *Cache) AppendStrings(dst []byte, list []string) []byte {
	if list == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = c.Append(dst, s)
	}
	return append(dst, ']')
}

// Append appends s as a JSON string, copying its kept encoding if it has one.
func (c *Cache) Append(dst []byte, s string) []byte {
	if len(s) >= MinCached && c != nil {
		if e, ok := c.enc.Get(StringKey(s)); ok {
			return append(dst, e.enc...)
		}
	}
	return Append(dst, s)
}
