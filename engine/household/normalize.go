package household

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// A record decoded as generic values (JSON or YAML, the schema path) is
// normalized before the schema sees it, as the fast path normalizes what it
// reads, so that both paths accept and refuse the same records
// (FuzzPathsAgree).

// NarrowWidth makes full-width letters, digits and signs ASCII: a Chinese input
// method in full-width mode types a citizen ID as １４１０８１…, a date as
// １９５８年１１月２日 and an amount as ８１２．５０, which look right and would
// otherwise be refused (or, for an ID, not matched as a duplicate). Only the
// full-width forms of ASCII (，and （） among them) and of a few signs (￥,
// the ideographic space) change: Chinese characters and the ideographic
// punctuation (、。) are kept, as is ASCII text.
func NarrowWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(narrowRune, s)
		}
	}
	return s
}

func narrowRune(r rune) rune {
	if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
		if n := p.Narrow(); n != 0 {
			return n
		}
	}
	return r
}

// narrowKeys are the fields whose text NarrowWidth makes ASCII: codes, numbers,
// amounts and dates, never names.
var narrowKeys = map[string]bool{"jurisdiction": true, "citizen_id": true, "certificate_no": true,
	"birth_date": true, "as_of": true, "month": true, "grade": true, "disability": true}

// emptyIsUnknown are the fields whose "" means unknown, as it does on the
// fast path: the single-valued enum fields (EnumFields without the lists)
// and the numbers a form may leave blank, by path as EnumFields writes it.
var emptyIsUnknown = func() map[string]bool {
	m := map[string]bool{"members[].citizen_id": true, "members[].disability.certificate_no": true, "members[].disability": true}
	for _, f := range EnumFields {
		if !strings.HasSuffix(f.Path, "[]") {
			m[f.Path] = true
		}
	}
	return m
}()

// normalizeGeneric prepares a record decoded as generic values (JSON or
// YAML) for the schema as the fast path reads it: the codes, amounts and
// dates of narrowKeys and moneyFields are made ASCII (NarrowWidth), and the
// fields of emptyIsUnknown written as "" are removed, "" being unknown, as
// an empty cell of a roll is. path is v's path as EnumFields writes it.
func normalizeGeneric(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if s, ok := val.(string); ok {
				switch {
				case s == "" && emptyIsUnknown[p]:
					delete(x, k)
				case narrowKeys[k] || moneyFields[k]:
					x[k] = NarrowWidth(s)
				}
				continue
			}
			normalizeGeneric(val, p)
		}
	case []any:
		for _, val := range x {
			normalizeGeneric(val, path+"[]")
		}
	}
}
