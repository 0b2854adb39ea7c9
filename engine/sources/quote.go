package sources

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Squash removes white space (including the line breaks a PDF's page layout
// put inside sentences, and no-break spaces) so that a quote can be matched
// across them. Nothing else is changed: punctuation, script and every
// character must match exactly.
func Squash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\ufeff' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Text is a cleaned source document prepared for quote lookups.
type Text struct {
	Raw      string
	squashed string
}

// NewText prepares a cleaned document.
func NewText(raw string) *Text {
	return &Text{Raw: raw, squashed: Squash(raw)}
}

// Contains reports whether the quote occurs verbatim in the text, ignoring
// only white space.
func (t *Text) Contains(quote string) bool {
	q := Squash(quote)
	return q != "" && strings.Contains(t.squashed, q)
}

// Context returns the quote with up to n characters of the surrounding text
// on each side, for showing a citation in place. ok is false when the quote
// is not in the text.
func (t *Text) Context(quote string, n int) (before, match, after string, ok bool) {
	q := Squash(quote)
	i := strings.Index(t.squashed, q)
	if q == "" || i < 0 {
		return "", "", "", false
	}
	pre := []rune(t.squashed[:i])
	post := []rune(t.squashed[i+len(q):])
	if len(pre) > n {
		pre = pre[len(pre)-n:]
	}
	if len(post) > n {
		post = post[:n]
	}
	return string(pre), q, string(post), true
}

// Nearest finds the longest prefix of the quote present in the text, to help
// an author see where a mistyped quote diverges. It returns the matched
// prefix length in runes.
func (t *Text) Nearest(quote string) int {
	q := []rune(Squash(quote))
	lo, hi := 0, len(q)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if strings.Contains(t.squashed, string(q[:mid])) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// SentenceAround trims the text before and after a quote (Context's) to
// the sentence the quote stands in: from the end of the sentence before, up
// to the end of its own, none after a quote that ends its sentence. Where
// the text given does not reach that far, … marks the cut.
func SentenceAround(before, quote, after string) (string, string) {
	const ends = "。；;！？!?\n"
	if strings.ContainsRune(ends, lastRune(quote)) {
		after = "" // the quote ends its sentence
	}
	if i := strings.LastIndexAny(before, ends); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		before = before[i+size:]
	} else if before != "" {
		before = "…" + before
	}
	if i := strings.IndexAny(after, ends); i >= 0 {
		_, size := utf8.DecodeRuneInString(after[i:])
		after = after[:i+size]
	} else if after != "" {
		after += "…"
	}
	return before, after
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
