// Package sources cleans the source documents the rules cite and checks that
// a citation quotes the cleaned text verbatim.
//
// Cleaning repairs exactly the damage the policy catalogue lists and nothing
// else: pinyin glosses and five mojibake runs in the 侯马 text, the spam
// string standing for a lost place name in the 呼伦贝尔 text (marked, not
// guessed), and a stray English "and" in the 奉化 and 临清 texts. Every repair
// is recorded with its line and column in the raw file.
package sources

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Repair is one change the cleaner made.
type Repair struct {
	Kind   string `yaml:"kind" json:"kind"`     // pinyin, mojibake, lost_word, stray_english
	Line   int    `yaml:"line" json:"line"`     // 1-based line in the raw file
	Column int    `yaml:"column" json:"column"` // 1-based rune column in the raw file
	Before string `yaml:"before" json:"before"`
	After  string `yaml:"after" json:"after"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`
}

// LostWordMarker replaces a word the source lost; the cleaner never guesses it.
const LostWordMarker = "［原文缺损］"

// Mojibake lists the garbled runs of the 侯马 text and their readings, exactly
// as POLICY.md gives them. Three of the runs hold invisible private-use
// characters (U+E5DD, U+E367), which are part of the run and removed with it.
var Mojibake = []struct{ Run, Reading string }{
	{"當?shù)氐捅\ue5dd藴屎蠼o予", "當地低保標準後給予"},
	{"當?shù)氐捅\ue5dd藴?~10%", "當地低保標準?~10%"},
	{"參?;颊唛T診", "參保患者門診"},
	{"向當?shù)厝松绮块T", "向當地人社部門"},
	{"向?qū)嵤┬Ч\ue367?", "向實施效果"},
}

// pinyinGloss matches a parenthesised pinyin syllable with a tone mark, such as
// (xiāng) or (yè). Parentheses holding anything else, like (APP) or (一), stay.
var pinyinGloss = regexp.MustCompile(`\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)`)

// Spec says which repairs apply to one raw document.
type Spec struct {
	Pinyin       bool     // strip pinyin glosses
	Mojibake     bool     // repair the listed mojibake runs
	LostWord     string   // spam string standing for a lost word
	StrayEnglish []string // stray English words to replace, each with its Chinese
	Replacement  []string // parallel to StrayEnglish
}

// Clean applies the spec to the raw text and returns the cleaned text and the
// repairs, in order of position. The result depends only on its inputs.
func Clean(raw string, spec Spec) (string, []Repair, error) {
	if !utf8.ValidString(raw) {
		return "", nil, fmt.Errorf("raw text is not UTF-8")
	}
	type edit struct {
		start, end int
		r          Repair
	}
	var edits []edit
	add := func(start, end int, kind, after, note string) {
		edits = append(edits, edit{start, end, Repair{Kind: kind, Before: raw[start:end], After: after, Note: note}})
	}
	if spec.Mojibake {
		for _, m := range Mojibake {
			idx := indexAll(raw, m.Run)
			if len(idx) == 0 {
				return "", nil, fmt.Errorf("mojibake run %q not found in the raw text", m.Run)
			}
			for _, i := range idx {
				add(i, i+len(m.Run), "mojibake", m.Reading, "garbled run read as listed in POLICY.md")
			}
		}
	}
	if spec.Pinyin {
		for _, loc := range pinyinGloss.FindAllStringIndex(raw, -1) {
			add(loc[0], loc[1], "pinyin", "", "pinyin gloss removed")
		}
	}
	if spec.LostWord != "" {
		idx := indexAll(raw, spec.LostWord)
		if len(idx) == 0 {
			return "", nil, fmt.Errorf("lost-word string %q not found", spec.LostWord)
		}
		for _, i := range idx {
			add(i, i+len(spec.LostWord), "lost_word", LostWordMarker, "spam string where a place name stood; the word is not guessed")
		}
	}
	for k, w := range spec.StrayEnglish {
		idx := indexAll(raw, w)
		if len(idx) == 0 {
			return "", nil, fmt.Errorf("stray English %q not found", w)
		}
		for _, i := range idx {
			add(i, i+len(w), "stray_english", spec.Replacement[k], "stray English word where a Chinese conjunction stood")
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	for i := 1; i < len(edits); i++ {
		if edits[i].start < edits[i-1].end {
			return "", nil, fmt.Errorf("repairs overlap at byte %d: %q and %q", edits[i].start, edits[i-1].r.Before, edits[i].r.Before)
		}
	}
	li := newLines(raw)
	var b strings.Builder
	last := 0
	repairs := make([]Repair, 0, len(edits))
	for _, e := range edits {
		b.WriteString(raw[last:e.start])
		b.WriteString(e.r.After)
		last = e.end
		e.r.Line, e.r.Column = li.at(raw, e.start)
		repairs = append(repairs, e.r)
	}
	b.WriteString(raw[last:])
	return b.String(), repairs, nil
}

func indexAll(s, sub string) []int {
	var out []int
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + len(sub)
	}
}

type lines []int

func newLines(s string) lines {
	l := lines{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			l = append(l, i+1)
		}
	}
	return l
}

func (l lines) at(s string, off int) (int, int) {
	i := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(s[l[i]:off]) + 1
}
